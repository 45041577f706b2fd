import { createHash } from "node:crypto";
import { CHECKS } from "@/lib/checks/registry";
import { credentialLikeValue, parseEnvEntry } from "@/lib/checks/secrets";
import type { DockerInfo, DockerNetwork } from "@/lib/domain/docker";
import type {
  ContainerFacts,
  DockerContainerFacts,
  DockerfileContainerFacts,
  FactsOf,
  KubernetesContainerFacts,
  Platform,
  WorkloadInput,
} from "@/lib/domain/facts";
import { secretFreeArguments } from "@/lib/remediation/docker-run";
import { EXEMPT_ANNOTATION_PREFIX, exceptionApplies, type ExceptionRule } from "./exceptions";

/**
 * Bump when evaluation code changes a verdict, message or fix for the same facts: every container's hash
 * changes, so the next poll re-judges the whole fleet once.
 */
export const RULES_VERSION = 3;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The checks' ids and severities with RULES_VERSION: what else decides a verdict besides the facts. */
export const CATALOG_VERSION = sha256(JSON.stringify([RULES_VERSION, CHECKS.map((c) => [c.id, c.severity])]));

const VARIABLE_REFERENCE = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/**
 * What the secret checks can tell about a value, never the value nor a hash of it: empty, a variable
 * reference, a credential-looking value (by rule, which evidence names), or some other literal.
 */
export function classifyValue(value: string | null | undefined): string {
  if (value === undefined || value === null || value === "") return "empty";
  if (VARIABLE_REFERENCE.test(value)) return "ref";
  const rule = credentialLikeValue(value);
  return rule ? `credential:${rule}` : "literal";
}

function classifyDockerEnv(env: readonly string[] | null | undefined): string[] | null {
  if (!env) return null;
  return env.map((entry) => {
    const { name, value } = parseEnvEntry(entry);
    return `${name}=${classifyValue(value)}`;
  });
}

// Annotations may hold whole manifests (last-applied-configuration) with literal env values: keep only those
// that checks and Pod Security read.
function isJudgedAnnotation(key: string): boolean {
  return key.includes("apparmor") || key.includes("seccomp") || key.startsWith(EXEMPT_ANNOTATION_PREFIX);
}

/** JSON replacer for Kubernetes objects: env values classified, commands and unread annotations left out. */
function kubernetesReplacer(key: string, value: unknown): unknown {
  if (key === "command" || key === "args") return undefined;
  if (key === "env" && Array.isArray(value)) {
    return value.map((entry: { name?: unknown; value?: unknown; valueFrom?: unknown }) => ({
      name: entry?.name,
      value: typeof entry?.value === "string" ? classifyValue(entry.value) : "empty",
      valueFrom: entry?.valueFrom ?? null,
    }));
  }
  if (key === "annotations" && value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([name]) => isJudgedAnnotation(name)));
  }
  return value;
}

function dockerProjection(facts: DockerContainerFacts): unknown {
  const c = facts.container;
  return {
    config: {
      User: c.Config?.User,
      Image: c.Config?.Image,
      Env: classifyDockerEnv(c.Config?.Env),
      Labels: c.Config?.Labels,
      // The rebuilt command shows them (secret-looking words hidden): a new command re-renders the stored one.
      Command: secretFreeArguments([...(c.Config?.Entrypoint ?? []), ...(c.Config?.Cmd ?? [])]),
      Entrypoint: c.Config?.Entrypoint?.length ?? 0,
      WorkingDir: c.Config?.WorkingDir,
    },
    hostConfig: c.HostConfig,
    mounts: c.Mounts,
    appArmor: c.AppArmorProfile,
    networks: c.NetworkSettings?.Networks,
    ports: c.NetworkSettings?.Ports,
    state: [c.State?.Status, c.State?.Running],
    // An image id is the digest of its config, which holds its env, user and history: the id stands for them.
    image: facts.imageInspect ? [facts.imageInspect.Id, facts.imageInspect.RepoDigests] : null,
    history: facts.imageHistory ? facts.imageHistory.length : null,
    ...dockerHostProjection(facts.info, facts.networks),
  };
}

/** The engine-wide facts Docker checks read: every container's hash covers them, and so does the inspect epoch. */
export function dockerHostProjection(info: DockerInfo | undefined, networks: DockerNetwork[] | undefined) {
  return {
    info: info?.SecurityOptions ?? null,
    // The engine lists networks in no fixed order (it changes across a restart): sort, or every hash would move.
    hostNetworks:
      networks
        ?.map((n) => [n.Name, n.Id, n.Driver, n.Options])
        .sort(([, a], [, b]) => String(a).localeCompare(String(b))) ?? null,
  };
}

/**
 * The epoch a collector may leave containers unread under: catalog version, the active exception rules (an
 * expiry changes it) and the day, offset per target so that targets do not all read everything at one time.
 * `reports` is the version of the held reports (their staleness moves with the day).
 */
export function inspectEpoch(inputs: VerdictInputs & { targetId: string; reports?: string }): string {
  const offset = Number.parseInt(sha256(inputs.targetId).slice(0, 8), 16) % DAY_MS;
  const day = Math.floor((inputs.now.getTime() + offset) / DAY_MS);
  const rules = inputs.exceptions
    .map((r) => JSON.stringify([r.id, r.checkId, r.targetId, r.namespace, r.workload, r.container, r.image]))
    .sort();
  return sha256(JSON.stringify([inputs.catalogVersion ?? CATALOG_VERSION, rules, inputs.reports ?? "", day]));
}

const DAY_MS = 86_400_000;

/** Instructions with ARG/ENV values classified like env (Dockerfiles are scanned, not stored, but stay secret-free). */
function dockerfileProjection(facts: DockerfileContainerFacts): unknown {
  return facts.dockerfile.instructions.map((i) =>
    i.keyword === "ARG" || i.keyword === "ENV"
      ? [i.keyword, i.line, classifyDockerEnv(i.args.split(/\s+/))]
      : [i.keyword, i.line, i.args],
  );
}

const PROJECTIONS: { [P in Platform]: (facts: FactsOf<P>) => unknown } = {
  kubernetes: kubernetesProjection,
  docker: dockerProjection,
  dockerfile: dockerfileProjection,
};

function projectionOf<P extends Platform>(platform: P, facts: FactsOf<P>): unknown {
  return PROJECTIONS[platform](facts);
}

function kubernetesProjection(facts: KubernetesContainerFacts): unknown {
  return {
    pod: facts.pod,
    specPath: facts.specPath,
    list: facts.list,
    index: facts.index,
    networkPolicies: facts.networkPolicies,
    serviceAccountAutomount: facts.serviceAccountAutomount ?? null,
    replicas: facts.replicas ?? null,
  };
}

/** Whether each report is past its maximum age at `now`: the one verdict input that moves with time. */
function reportState(facts: ContainerFacts, now: Date): unknown {
  const maxDays = facts.maxReportAgeDays ?? null;
  const stale = (report: ContainerFacts["vulnerabilityReport"]) => {
    if (!report || !("value" in report) || !report.value) return null;
    return (now.getTime() - Date.parse(report.value.scannedAt)) / 86_400_000 > (maxDays ?? 7);
  };
  // The matched reports' identities, findings and exceptions: a new report re-judges the containers it matches.
  return [
    facts.imageDigests ?? null,
    facts.vulnerabilityReport,
    facts.dependencyReport,
    facts.secretReport ?? null,
    maxDays,
    stale(facts.vulnerabilityReport),
    stale(facts.dependencyReport),
  ];
}

export interface VerdictInputs {
  /** Active exception rules at `now` (an expired or revoked rule is not active: the version changes). */
  exceptions: readonly ExceptionRule[];
  now: Date;
  targetId?: string | undefined;
  /** Defaults to CATALOG_VERSION; tests pass another to see the whole fleet re-judged. */
  catalogVersion?: string;
}

/** Ids of the active exception rules whose scope covers this container, whatever their check. */
export function exceptionsVersion(facts: ContainerFacts, inputs: VerdictInputs): string[] {
  const scope = {
    checkId: "",
    namespace: facts.workload.namespace,
    workloadKind: facts.workload.kind,
    workload: facts.workload.name,
    container: facts.name,
    image: facts.image,
    ...(inputs.targetId !== undefined ? { targetId: inputs.targetId } : {}),
  };
  return inputs.exceptions
    .filter((rule) => exceptionApplies({ ...rule, checkId: "" }, scope, inputs.now))
    .map((rule) => `${rule.id}:${rule.checkId}`)
    .sort();
}

/** `rampart.dev/exempt-*` annotations of the workload object itself (the pod template's are in the facts). */
function objectExemptions(input: WorkloadInput): [string, unknown][] {
  const metadata = input.object?.metadata as { annotations?: Record<string, unknown> } | undefined;
  return Object.entries(metadata?.annotations ?? {})
    .filter(([key]) => key.startsWith(EXEMPT_ANNOTATION_PREFIX))
    .sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Hash of everything that decides one container's results: its normalised, secret-free facts (values
 * classified, never kept), the catalog version, the matching reports and the exceptions that cover it.
 * Equal hash → the stored results stand: no evaluation, no rendering, no write.
 */
export function containerFactsHash(facts: ContainerFacts, input: WorkloadInput, inputs: VerdictInputs): string {
  const projection = projectionOf(facts.platform, facts);
  const identity = [facts.platform, facts.workload.kind, facts.workload.namespace, facts.workload.name, facts.name];
  const document = [
    inputs.catalogVersion ?? CATALOG_VERSION,
    identity,
    facts.image,
    facts.imageDigest ?? null,
    // A registry config is a fact like any other (already secret-free: names and rules, never values).
    facts.imageConfig ?? null,
    projection,
    objectExemptions(input),
    reportState(facts, inputs.now),
    exceptionsVersion(facts, inputs),
  ];
  return sha256(JSON.stringify(document, facts.platform === "kubernetes" ? kubernetesReplacer : undefined));
}

/** Hash of what the workload row holds: labels, namespace labels, replicas and the pod Pod Security judges. */
export function workloadStateHash(input: WorkloadInput): string {
  const replicas = input.containers[0]?.platform === "kubernetes" ? (input.containers[0].replicas ?? null) : null;
  const document = [
    RULES_VERSION,
    input.labels,
    input.namespaceLabels ?? null,
    replicas,
    input.containers.length,
    input.pod ?? null,
  ];
  return sha256(JSON.stringify(document, kubernetesReplacer));
}
