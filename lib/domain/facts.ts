import type { DockerContainer, DockerHistoryEntry, DockerImage, DockerInfo, DockerNetwork } from "./docker";
import type { ParsedDockerfile } from "./dockerfile";
import type { Container, ContainerList, NetworkPolicy, PodTemplate } from "./kubernetes";

export type Platform = "kubernetes" | "docker" | "dockerfile";

/** How pages and reports name each platform; its key order is the order they list platforms in. */
export const PLATFORM_LABEL: Record<Platform, string> = {
  kubernetes: "Kubernetes",
  docker: "Docker",
  dockerfile: "Dockerfile",
};

/** Every platform (complete because PLATFORM_LABEL is a Record over Platform). */
export const PLATFORMS = Object.keys(PLATFORM_LABEL) as readonly Platform[];

export interface WorkloadRef {
  platform: Platform;
  /** Kubernetes kind, or for Docker `Container` / `ComposeService`. */
  kind: string;
  /** Kubernetes namespace, or the Compose project (empty when none). */
  namespace: string;
  name: string;
}

/** Data a check needs that may be missing: `unavailable` carries the reason (shown as not-evaluated). */
export type Available<T> = { value: T } | { unavailable: string };

/** One digest of a running image and what it is (CHECKS.md "Vulnerability and secret reports"). */
export interface ImageDigest {
  kind: "config" | "manifest" | "repository";
  digest: string;
}

/** How a report was matched to a container: by one of its digests, or by trivy-operator's labels. */
export type ReportMatch = ImageDigest["kind"] | "labels";

/** A vulnerability report (Trivy or Grype) reduced to what `image-vulnerability-scanned` and `dependencies-scanned` judge. */
export interface VulnerabilityReport {
  /** The stored report's id (or content hash offline): a new report changes the facts hash. */
  id?: string;
  /** The digest it matched (empty when matched by labels). */
  digest: string;
  matchedBy?: ReportMatch;
  scanner: string;
  scannedAt: string;
  /** HIGH/CRITICAL findings of this package class that have a fix and are neither excepted nor VEX-declared. */
  fixableHighOrCritical: { id: string; severity: "HIGH" | "CRITICAL"; pkg: string; fixedVersion?: string }[];
  /** Fixable HIGH/CRITICAL findings set aside by a vulnerability exception or a VEX statement, with why. */
  excepted?: { id: string; pkg: string; reason: string }[];
}

/** The newest matching secret-scanning report: rule, file and layer of each secret, never its text. */
export interface SecretReport {
  id: string;
  digest: string;
  matchedBy: ReportMatch;
  scanner: string;
  scannedAt: string;
  secrets: { ruleId: string; severity: string; file: string; layer: string | null }[];
}

/**
 * What Rampart keeps of an image's config read from its registry: the user and where secrets are (names and
 * rules), never an env value nor history text. Content-addressed, so it is cached by digest.
 */
export interface ImageConfigFacts {
  /** The digest the image reference stands for: the running one, the one it names, or the registry's for its tag. */
  digest: string;
  digestSource: "running" | "reference" | "registry";
  /** The platform manifest chosen when `digest` is an image index. */
  platformDigest?: string;
  /** `os/architecture[/variant]` of the config read. */
  platform: string;
  configDigest: string;
  /** `config.User` as the image sets it (empty: root). */
  user: string;
  envSecrets: { name: string; rule: string; index: number }[];
  historySecrets: { name: string; rule: string; step: number; kind: "build-arg" | "env" | "arg" }[];
}

interface BaseFacts {
  workload: WorkloadRef;
  /** Container name (Docker: without the leading `/`). */
  name: string;
  image: string;
  /** `sha256:…` of the running image when known. */
  imageDigest?: string;
  /** Every digest the collector saw for the running image: what reports are matched by. */
  imageDigests?: ImageDigest[];
  /** `file#documentIndex` for files, the target URL for a live poll. */
  source: string;
  /** 1-based line of the container in its file, when read from a file (SARIF locations). */
  line?: number;
  /** 1-based lines of the fields results name (`HostConfig.Privileged` → the Compose `privileged:` line). */
  fieldLines?: Record<string, number>;
  /** Vulnerability reports by image digest, when any were ingested. */
  vulnerabilityReport?: Available<VulnerabilityReport | null>;
  /** The same, for application dependencies (`dependencies-scanned`). */
  dependencyReport?: Available<VulnerabilityReport | null>;
  /** Secrets a matching scanner report found in the image's layers (`no-secrets-in-image`). */
  secretReport?: Available<SecretReport | null>;
  maxReportAgeDays?: number;
  /** Hash of what the platform's list shows of the container, when the collector read it from a list. */
  listedVersion?: string;
  /** The image's config from its registry (Kubernetes always; Docker when the host no longer has the image). */
  imageConfig?: Available<ImageConfigFacts>;
}

export interface KubernetesContainerFacts extends BaseFacts {
  platform: "kubernetes";
  /** The pod or pod template this container belongs to (shared by its siblings). */
  pod: PodTemplate;
  /** Path of the pod spec within the source object: `spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`. */
  specPath: string;
  list: ContainerList;
  index: number;
  container: Container;
  /** NetworkPolicies of the pod's namespace, or why they could not be read. */
  networkPolicies: Available<NetworkPolicy[]>;
  /** automountServiceAccountToken of the pod's ServiceAccount, when known. */
  serviceAccountAutomount?: boolean | null;
  /** Replica count and owning object's labels are kept by collectors for display. */
  replicas?: number;
}

export interface DockerContainerFacts extends BaseFacts {
  platform: "docker";
  container: DockerContainer;
  imageInspect?: DockerImage;
  imageHistory?: DockerHistoryEntry[];
  info?: DockerInfo;
  networks?: DockerNetwork[];
  /** Read from a Compose service: its env is all its own, the image and daemon are not known. */
  fromCompose?: true;
}

/** A Dockerfile's final stage: `rampart scan` judges what the build will produce. */
export interface DockerfileContainerFacts extends BaseFacts {
  platform: "dockerfile";
  dockerfile: ParsedDockerfile;
  /** Index of the judged (final) stage. */
  stage: number;
}

// Compiles only while every Platform has exactly one facts type whose `platform` is its key.
type FactsRecord<T extends { [P in Platform]: BaseFacts & { platform: P } }> = T;

/** The facts each platform's collector produces: what a check's entry for that platform reads. */
export type FactsByPlatform = FactsRecord<{
  kubernetes: KubernetesContainerFacts;
  docker: DockerContainerFacts;
  dockerfile: DockerfileContainerFacts;
}>;
export type FactsOf<P extends Platform> = FactsByPlatform[P];
export type ContainerFacts = FactsByPlatform[Platform];

/** Path of a Kubernetes container inside its source object, e.g. `spec.template.spec.containers[1]`. */
export function containerPath(f: KubernetesContainerFacts): string {
  return `${f.specPath}.${f.list}[${f.index}]`;
}

/** The line of the most specific field of `fieldPath` that the facts know a line for, else the container's. */
export function lineOfField(facts: ContainerFacts, fieldPath: string | undefined): number | undefined {
  let best: { length: number; line: number } | undefined;
  for (const [field, line] of Object.entries(facts.fieldLines ?? {})) {
    const matches = fieldPath === field || fieldPath?.startsWith(`${field}.`) || fieldPath?.startsWith(`${field}[`);
    if (matches && field.length > (best?.length ?? -1)) best = { length: field.length, line };
  }
  return best?.line ?? facts.line;
}

/** One workload ready for evaluation: what normalizers produce and evaluation consumes. */
export interface WorkloadInput {
  workload: WorkloadRef;
  source: string;
  /** 1-based line where the object starts in its file. */
  line?: number;
  labels: Record<string, string>;
  /** Kubernetes only: labels of the workload's namespace (team and Pod Security labels). */
  namespaceLabels?: Record<string, string>;
  /** Kubernetes only: the pod or pod template that Pod Security judges. */
  pod?: PodTemplate;
  /** Kubernetes only: the whole source object, which remediation patches. */
  object?: Record<string, unknown>;
  containers: ContainerFacts[];
  /**
   * Containers the collector did not read again because their listed version and the inspect epoch are unchanged:
   * their stored results stand. A workload has either these or `containers`, never both.
   */
  keptContainers?: string[];
}

/** Input that could not be read: names file, document and field, never a secret value. */
export interface InputError {
  source: string;
  document?: number;
  field?: string;
  message: string;
}

/**
 * Every digest the running image is known by: what the collector saw (or the one digest of its reference) and,
 * when its config was read from a registry, the digest its reference resolved to, the platform manifest chosen
 * from an index and the config blob's. A scanner report keyed by any of them is about this image.
 */
export function imageDigestsOf(facts: ContainerFacts): ImageDigest[] {
  const seen: ImageDigest[] = facts.imageDigests?.length
    ? [...facts.imageDigests]
    : facts.imageDigest
      ? [{ kind: "repository", digest: facts.imageDigest }]
      : [];
  const config = facts.imageConfig && "value" in facts.imageConfig ? facts.imageConfig.value : undefined;
  if (!config) return seen;
  const related: ImageDigest[] = [
    { kind: "repository", digest: config.digest },
    ...(config.platformDigest ? [{ kind: "manifest" as const, digest: config.platformDigest }] : []),
    { kind: "config", digest: config.configDigest },
  ];
  for (const digest of related) if (!seen.some((known) => known.digest === digest.digest)) seen.push(digest);
  return seen;
}
