import type { Available, ImageDigest, InputError, KubernetesContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import {
  CONTAINER_LISTS,
  type NetworkPolicy,
  type ObjectMeta,
  type PodSpec,
  type PodTemplate,
} from "@/lib/domain/kubernetes";
import { fastValidator } from "./fast-validator";
import { describeType, isRecord, splitFieldPath } from "./field-path";
import { workloadObjectSchema } from "./kubernetes-schema";
import { issuesToErrors } from "./zod-issues";
import type { z } from "zod";

export interface KubernetesContext {
  source: string;
  document?: number;
  networkPolicies: Available<NetworkPolicy[]>;
  /** `namespace/name` → the ServiceAccount's automountServiceAccountToken. */
  serviceAccounts?: Map<string, boolean | null>;
  /** Container name → `sha256:…` of the running image. */
  runningDigests?: Map<string, string>;
  replicas?: number;
  /** 1-based line of the node at a path inside the object, when read from a file. */
  lines?: (path: (string | number)[]) => number | undefined;
}

const POD_SPEC_PATHS: Record<string, string> = {
  Pod: "spec",
  Deployment: "spec.template.spec",
  StatefulSet: "spec.template.spec",
  DaemonSet: "spec.template.spec",
  ReplicaSet: "spec.template.spec",
  ReplicationController: "spec.template.spec",
  Job: "spec.template.spec",
  CronJob: "spec.jobTemplate.spec.template.spec",
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

export function isWorkloadKind(kind: unknown): kind is string {
  return typeof kind === "string" && Object.hasOwn(POD_SPEC_PATHS, kind);
}

/** Path of the pod spec inside an object of this kind, e.g. `spec.template.spec`; undefined for other kinds. */
export function podSpecPath(kind: string): string | undefined {
  return isWorkloadKind(kind) ? POD_SPEC_PATHS[kind] : undefined;
}

const schemaCache = new Map<string, z.ZodType>();

function schemaFor(specPath: string): z.ZodType {
  let schema = schemaCache.get(specPath);
  if (!schema) {
    schema = workloadObjectSchema(splitFieldPath(specPath).slice(0, -1));
    schemaCache.set(specPath, schema);
  }
  return schema;
}

export function normalizeKubernetesWorkload(
  object: unknown,
  context: KubernetesContext,
): { input?: WorkloadInput; errors: InputError[] } {
  const origin = { source: context.source, document: context.document };
  if (!isRecord(object)) {
    return { errors: [{ ...origin, message: `expected a Kubernetes object, got ${describeType(object)}` }] };
  }
  const kind = object.kind;
  if (!isWorkloadKind(kind)) {
    const message = typeof kind === "string" ? `${kind} is not a workload kind` : "required (expected string)";
    return { errors: [{ ...origin, field: "kind", message }] };
  }
  const specPath = POD_SPEC_PATHS[kind] as string;
  const schema = schemaFor(specPath);
  let errors: InputError[] = [];
  if (!fastValidator(schema)(object)) {
    const parsed = schema.safeParse(object);
    if (!parsed.success) {
      errors = issuesToErrors(parsed.error.issues, object, origin);
      // A container without name or image is reported on its own; the rest of the pod is still judged.
      const depth = splitFieldPath(specPath).length + 3;
      if (!parsed.error.issues.every((issue) => isContainerIdentityIssue(issue.path, depth))) return { errors };
    }
  }
  // The schema transforms nothing, so the original object is kept: zod's copy would reorder its keys.
  const input = buildInput(object, kind, specPath, context);
  return input.containers.length > 0 ? { input, errors } : { errors };
}

const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value !== "";

/** `<spec>.containers[i].name` or `.image`, missing or empty. */
function isContainerIdentityIssue(path: readonly PropertyKey[], depth: number): boolean {
  const field = path[depth - 1];
  return (
    path.length === depth &&
    typeof path[depth - 2] === "number" &&
    (CONTAINER_LISTS as readonly PropertyKey[]).includes(path[depth - 3] as PropertyKey) &&
    (field === "name" || field === "image")
  );
}

function buildInput(
  object: Record<string, unknown>,
  kind: string,
  specPath: string,
  context: KubernetesContext,
): WorkloadInput {
  const metadata = object.metadata as ObjectMeta;
  const segments = splitFieldPath(specPath);
  const pod = podTemplateAt(object, segments);
  const workload = {
    platform: "kubernetes" as const,
    kind,
    namespace: metadata.namespace || "default",
    name: metadata.name as string,
  };
  const networkPolicies = policiesOfNamespace(context.networkPolicies, workload.namespace);
  const automount = serviceAccountAutomount(pod.spec, workload.namespace, context.serviceAccounts);
  const replicas = context.replicas ?? replicasOf(object);
  const running = context.runningDigests ?? statusDigests(object);
  const containers: KubernetesContainerFacts[] = [];
  for (const list of CONTAINER_LISTS) {
    (pod.spec[list] ?? []).forEach((container, index) => {
      if (!isNonEmptyString(container.name) || !isNonEmptyString(container.image)) return;
      // One literal shape for every container; optional fields are added only when known.
      const facts: KubernetesContainerFacts = {
        workload,
        pod,
        specPath,
        source: context.source,
        networkPolicies,
        platform: "kubernetes",
        list,
        index,
        container,
        name: container.name,
        image: container.image ?? "",
      };
      if (automount !== undefined) facts.serviceAccountAutomount = automount;
      if (replicas !== undefined) facts.replicas = replicas;
      const imageDigest = digestOf(container.name, container.image, running);
      if (imageDigest !== undefined) facts.imageDigest = imageDigest;
      const imageDigests = digestsOf(container.name, container.image, running);
      if (imageDigests.length > 0) facts.imageDigests = imageDigests;
      const line = context.lines?.([...segments, list, index]);
      if (line !== undefined) facts.line = line;
      containers.push(facts);
    });
  }
  const input: WorkloadInput = {
    workload,
    source: context.source,
    labels: metadata.labels ?? {},
    pod,
    object,
    containers,
  };
  const line = context.lines?.([]);
  if (line !== undefined) input.line = line;
  return input;
}

function podTemplateAt(object: Record<string, unknown>, specSegments: string[]): PodTemplate {
  if (specSegments.length === 1) {
    return { metadata: object.metadata as ObjectMeta, spec: object.spec as PodSpec };
  }
  let template: Record<string, unknown> = object;
  for (const segment of specSegments.slice(0, -1)) template = template[segment] as Record<string, unknown>;
  return { metadata: (template.metadata as ObjectMeta | null) ?? {}, spec: template.spec as PodSpec };
}

function policiesOfNamespace(policies: Available<NetworkPolicy[]>, namespace: string): Available<NetworkPolicy[]> {
  if ("unavailable" in policies) return policies;
  return { value: policies.value.filter((p) => (p.metadata.namespace || "default") === namespace) };
}

function serviceAccountAutomount(
  spec: PodSpec,
  namespace: string,
  accounts?: Map<string, boolean | null>,
): boolean | null | undefined {
  const legacyName = (spec as { serviceAccount?: string | null }).serviceAccount;
  const name = spec.serviceAccountName || legacyName || "default";
  return accounts?.get(`${namespace}/${name}`);
}

function replicasOf(object: Record<string, unknown>): number | undefined {
  const spec = object.spec;
  return isRecord(spec) && typeof spec.replicas === "number" ? spec.replicas : undefined;
}

const STATUS_LISTS = ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"];

/** A Pod read with its status (`kubectl get pod -o yaml`) says which digest each container runs. */
function statusDigests(object: Record<string, unknown>): Map<string, string> {
  const digests = new Map<string, string>();
  const status = object.status;
  if (!isRecord(status)) return digests;
  for (const list of STATUS_LISTS) {
    const entries = status[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isRecord(entry) && typeof entry.name === "string" && typeof entry.imageID === "string")
        digests.set(entry.name, entry.imageID);
    }
  }
  return digests;
}

const DIGEST = /sha256:[a-f0-9]{64}/;

/**
 * Every digest Kubernetes shows for a container: `imageID` (a repository digest `repo@sha256:…`, or a bare image
 * id `sha256:…`/`docker://sha256:…`, which is the config digest) and one pinned in `image`.
 */
export function digestsOf(name: string, image: string | undefined, running?: Map<string, string>): ImageDigest[] {
  const found: ImageDigest[] = [];
  const imageId = running?.get(name);
  const fromStatus = imageId?.match(DIGEST)?.[0];
  if (imageId && fromStatus) found.push({ kind: imageId.includes("@") ? "repository" : "config", digest: fromStatus });
  const pinned = image?.match(/@(sha256:[a-f0-9]{64})/)?.[1];
  if (pinned && pinned !== fromStatus) found.push({ kind: "repository", digest: pinned });
  return found;
}

/** The running digest when known (`docker-pullable://…@sha256:…` forms included), else the pinned one. */
export function digestOf(name: string, image: string | undefined, running?: Map<string, string>): string | undefined {
  const fromStatus = running?.get(name)?.match(DIGEST)?.[0];
  if (fromStatus) return fromStatus;
  return image?.match(/@(sha256:[a-f0-9]{64})/)?.[1];
}
