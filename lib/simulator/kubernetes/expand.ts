import { resourceByKind } from "./resources";
import { nameSuffix, runningImageId, uidFor } from "./naming";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & {
    containers?: { name: string; image?: string }[];
    initContainers?: { name: string; image?: string }[];
  };
}

export interface ExpandOptions {
  /** Nodes a DaemonSet runs one pod on (3 by default). */
  nodes?: number;
  now?: Date;
  /** Image reference → the `sha256:…` its registry holds, for images pushed to a real registry (else derived). */
  imageDigests?: ReadonlyMap<string, string>;
}

/** Turns manifests into what a cluster would hold once its controllers ran: owners, ReplicaSets, Jobs, Pods. */
export function expandManifests(
  manifests: unknown[],
  options: ExpandOptions = {},
): { objects: KubeObject[]; skipped: string[] } {
  const ctx: Ctx = {
    nodes: options.nodes ?? 3,
    now: (options.now ?? new Date()).getTime(),
    out: [],
    imageDigests: options.imageDigests ?? new Map(),
  };
  const skipped: string[] = [];
  for (const manifest of manifests) {
    const object = manifest as Partial<KubeObject> | null;
    const type = typeof object?.kind === "string" ? resourceByKind(object.kind) : undefined;
    if (!object || !type || typeof object.metadata?.name !== "string") {
      skipped.push(`${String(object?.kind)}/${String(object?.metadata?.name)}`);
      continue;
    }
    const base = withMeta(structuredClone(object) as KubeObject, type.namespaced, ctx.now);
    base.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    ctx.out.push(base);
    expandOwner(base, ctx);
  }
  ensureDefaults(ctx.out, ctx.now);
  return { objects: ctx.out, skipped };
}

type Ctx = { nodes: number; now: number; out: KubeObject[]; imageDigests: ReadonlyMap<string, string> };

function expandOwner(object: KubeObject, ctx: Ctx): void {
  const spec = object.spec ?? {};
  const template = spec.template as PodTemplate | undefined;
  switch (object.kind) {
    case "Pod":
      object.spec = podSpec(object.spec as PodTemplate["spec"], 0);
      object.status = podStatus(object.spec as PodTemplate["spec"], object.metadata.creationTimestamp, ctx);
      return;
    case "Deployment":
      return expandDeployment(object, template, ctx);
    case "ReplicaSet":
      return addPods(
        object,
        template,
        replicas(spec),
        (i) => `${object.metadata.name}-${nameSuffix(`${object.metadata.uid}/${i}`, 5)}`,
        ctx,
      );
    case "StatefulSet":
      return addPods(object, template, replicas(spec), (i) => `${object.metadata.name}-${i}`, ctx);
    case "DaemonSet":
      return addPods(
        object,
        template,
        ctx.nodes,
        (i) => `${object.metadata.name}-${nameSuffix(`${object.metadata.uid}/${i}`, 5)}`,
        ctx,
      );
    case "Job":
      return expandJob(object, ctx);
    case "CronJob":
      return expandCronJob(object, ctx);
  }
}

function replicas(spec: Record<string, unknown>): number {
  return typeof spec.replicas === "number" ? spec.replicas : 1;
}

function expandDeployment(deployment: KubeObject, template: PodTemplate | undefined, ctx: Ctx): void {
  const hash = nameSuffix(JSON.stringify(template ?? {}), 10);
  const count = replicas(deployment.spec ?? {});
  const labels = { ...(template?.metadata?.labels ?? {}), "pod-template-hash": hash };
  const rsTemplate = { ...template, metadata: { ...template?.metadata, labels } };
  const rs = ownedObject(deployment, "apps/v1", "ReplicaSet", `${deployment.metadata.name}-${hash}`, ctx.now);
  rs.metadata.labels = labels;
  rs.spec = { replicas: count, selector: { matchLabels: labels }, template: rsTemplate };
  rs.status = { replicas: count, readyReplicas: count, availableReplicas: count };
  deployment.status = { replicas: count, readyReplicas: count, updatedReplicas: count, availableReplicas: count };
  ctx.out.push(rs);
  addPods(rs, rsTemplate, count, (i) => `${rs.metadata.name}-${nameSuffix(`${rs.metadata.uid}/${i}`, 5)}`, ctx);
}

function expandJob(job: KubeObject, ctx: Ctx): void {
  const spec = job.spec ?? {};
  const parallelism = typeof spec.parallelism === "number" ? spec.parallelism : 1;
  const template = spec.template as PodTemplate | undefined;
  const labels = { "batch.kubernetes.io/job-name": job.metadata.name, "job-name": job.metadata.name };
  const withLabels = {
    ...template,
    metadata: { ...template?.metadata, labels: { ...template?.metadata?.labels, ...labels } },
  };
  job.status = { active: parallelism, startTime: job.metadata.creationTimestamp };
  addPods(
    job,
    withLabels,
    parallelism,
    (i) => `${job.metadata.name}-${nameSuffix(`${job.metadata.uid}/${i}`, 5)}`,
    ctx,
  );
}

function expandCronJob(cronJob: KubeObject, ctx: Ctx): void {
  const jobTemplate = (cronJob.spec?.jobTemplate ?? {}) as {
    metadata?: { labels?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
  const scheduled = 29_000_000 + (parseInt(cronJob.metadata.uid.slice(0, 6), 16) % 1_000_000);
  const job = ownedObject(cronJob, "batch/v1", "Job", `${cronJob.metadata.name}-${scheduled}`, ctx.now);
  if (jobTemplate.metadata?.labels) job.metadata.labels = { ...jobTemplate.metadata.labels };
  job.spec = structuredClone(jobTemplate.spec ?? {});
  cronJob.status = {
    active: [
      {
        kind: "Job",
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        uid: job.metadata.uid,
        apiVersion: "batch/v1",
      },
    ],
  };
  ctx.out.push(job);
  expandJob(job, ctx);
}

function addPods(
  owner: KubeObject,
  template: PodTemplate | undefined,
  count: number,
  nameOf: (i: number) => string,
  ctx: Ctx,
): void {
  for (let i = 0; i < count; i++) {
    const pod = ownedObject(owner, "v1", "Pod", nameOf(i), ctx.now);
    if (template?.metadata?.labels) pod.metadata.labels = { ...template.metadata.labels };
    if (template?.metadata?.annotations) pod.metadata.annotations = { ...template.metadata.annotations };
    pod.spec = podSpec(structuredClone(template?.spec), i % ctx.nodes);
    pod.status = podStatus(pod.spec as PodTemplate["spec"], pod.metadata.creationTimestamp, ctx);
    ctx.out.push(pod);
  }
}

function ownedObject(owner: KubeObject, apiVersion: string, kind: string, name: string, now: number): KubeObject {
  const reference: OwnerReference = {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const metadata = { name, namespace: owner.metadata.namespace, ownerReferences: [reference] };
  return withMeta({ apiVersion, kind, metadata } as unknown as KubeObject, true, now);
}

function withMeta(object: KubeObject, namespaced: boolean, now: number): KubeObject {
  const meta = object.metadata;
  if (namespaced) meta.namespace = meta.namespace || "default";
  else delete meta.namespace;
  const key = `${object.kind}/${meta.namespace ?? ""}/${meta.name}`;
  meta.uid = meta.uid || uidFor(key);
  const ageHours = 1 + (parseInt(meta.uid.slice(0, 4), 16) % 2000);
  meta.creationTimestamp =
    meta.creationTimestamp || new Date(now - ageHours * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  return object;
}

function podSpec(spec: PodTemplate["spec"], node: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(spec ?? { containers: [] }) };
  out.serviceAccountName =
    (out.serviceAccountName as string | undefined) || (out.serviceAccount as string | undefined) || "default";
  out.nodeName = (out.nodeName as string | undefined) || `sim-node-${node + 1}`;
  out.restartPolicy = out.restartPolicy ?? "Always";
  return out;
}

function podStatus(spec: PodTemplate["spec"], startedAt: string, ctx: Ctx): Record<string, unknown> {
  const statusOf = (c: { name: string; image?: string }, running: boolean) => ({
    name: c.name,
    image: c.image ?? "",
    imageID: runningImageId(c.image ?? "", ctx.imageDigests.get(c.image ?? "")),
    ready: running,
    started: running,
    restartCount: 0,
    state: running
      ? { running: { startedAt } }
      : { terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt: startedAt } },
  });
  const status: Record<string, unknown> = {
    phase: "Running",
    startTime: startedAt,
    containerStatuses: (spec?.containers ?? []).map((c) => statusOf(c, true)),
  };
  if (spec?.initContainers?.length) status.initContainerStatuses = spec.initContainers.map((c) => statusOf(c, false));
  return status;
}

function ensureDefaults(objects: KubeObject[], now: number): void {
  const namespaces = new Set(["default", "kube-system"]);
  for (const o of objects) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  const existing = new Set(objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name));
  const accounts = new Set(
    objects.filter((o) => o.kind === "ServiceAccount").map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  );
  for (const name of namespaces) {
    if (!existing.has(name))
      objects.push(
        withMeta({ apiVersion: "v1", kind: "Namespace", metadata: { name } } as unknown as KubeObject, false, now),
      );
    if (!accounts.has(`${name}/default`)) {
      objects.push(
        withMeta(
          {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "default", namespace: name },
          } as unknown as KubeObject,
          true,
          now,
        ),
      );
    }
  }
  for (const ns of objects.filter((o) => o.kind === "Namespace")) {
    ns.metadata.labels = { ...ns.metadata.labels, "kubernetes.io/metadata.name": ns.metadata.name };
    ns.status = { phase: "Active" };
  }
}
