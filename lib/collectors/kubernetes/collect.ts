import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { WorkloadInput } from "@/lib/domain/facts";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { createKubeApis, type KubeApis } from "./client";
import type { ObjectJson, PodJson } from "./json-types";
import {
  controllerOf,
  emptyIndexes,
  networkPoliciesFor,
  toPlainObject,
  workloadKey,
  type ClusterIndexes,
  type WorkloadKey,
} from "./indexes";
import { CRON_JOBS, DAEMON_SETS, DEPLOYMENTS, pagedLists, PODS, STATEFUL_SETS, type Lister } from "./lists";
import { readPages } from "./paging";
import { readNamespaces, readNetworkPolicies, readOwners, readServiceAccounts, type Scope } from "./read-indexes";

/** A Kubernetes workload as collected: WorkloadInput plus its namespace's labels (for filters). */
export type KubernetesWorkloadInput = WorkloadInput & Required<Pick<WorkloadInput, "namespaceLabels">>;

export interface CollectOptions {
  pageSize?: number;
  requestTimeoutMs?: number;
}

interface Running {
  replicas: number;
  digests: Map<string, string>;
}

/**
 * Streams one WorkloadInput per Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet or bare Pod,
 * judged from the owner's template with its running pods' digests and count. Memory holds the pages in flight,
 * the owner indexes and one small record per workload, never the whole pod list.
 */
export async function* collectKubernetesWorkloads(
  target: TargetConnection,
  report: CollectionReport,
  signal: AbortSignal,
  options: CollectOptions = {},
): AsyncGenerator<KubernetesWorkloadInput> {
  const apis = await createKubeApis(target, signal, options.requestTimeoutMs);
  try {
    yield* collectWith(apis, target, report, options);
  } finally {
    await apis.close();
  }
}

type Build = (object: Record<string, unknown>, running: Running | undefined) => KubernetesWorkloadInput | undefined;

async function* collectWith(
  apis: KubeApis,
  target: TargetConnection,
  report: CollectionReport,
  options: CollectOptions,
): AsyncGenerator<KubernetesWorkloadInput> {
  report.warnings.push(...apis.warnings);
  const namespaces = target.settings.namespaces?.length ? target.settings.namespaces : undefined;
  const scope: Scope = { apis, namespaces, report, pageSize: options.pageSize ?? 500 };
  const indexes = emptyIndexes();
  await readNamespaces(scope, indexes);
  await readServiceAccounts(scope, indexes);
  await readNetworkPolicies(scope, indexes);
  await readOwners(scope, indexes);
  const source = target.url || apis.server;
  const build: Build = (object, running) => toInput(object, running, indexes, source, report);
  const running = new Map<WorkloadKey, Running>();
  yield* streamPods(scope, indexes, running, build);
  yield* streamOwners(scope, running, build);
  for (const [key, object] of indexes.standalone) {
    const input = build(object, running.get(key) ?? { replicas: 0, digests: new Map() });
    if (input) yield input;
  }
}

/** Counts each owned pod towards its workload and judges bare pods as they come. */
async function* streamPods(
  scope: Scope,
  indexes: ClusterIndexes,
  running: Map<WorkloadKey, Running>,
  build: Build,
): AsyncGenerator<KubernetesWorkloadInput> {
  const seenPods = new Set<string>();
  for (const list of pagedLists(scope.apis, PODS, scope.namespaces)) {
    for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
      for (const pod of page) {
        const uid = pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
        if (seenPods.has(uid)) continue;
        seenPods.add(uid);
        const key = ownerKey(pod, indexes);
        if (key) addRunning(running, key, pod);
        else {
          const input = build(toPlainObject(pod, "Pod"), { replicas: 1, digests: digestsOf(pod) });
          if (input) yield input;
        }
      }
    }
  }
}

/** Judges each owner's template, with what its pods run; a list restarted after 410 yields nothing twice. */
async function* streamOwners(
  scope: Scope,
  running: Map<WorkloadKey, Running>,
  build: Build,
): AsyncGenerator<KubernetesWorkloadInput> {
  const yielded = new Set<WorkloadKey>();
  const owners: Lister<ObjectJson>[] = [DEPLOYMENTS, STATEFUL_SETS, DAEMON_SETS, CRON_JOBS];
  for (const lister of owners) {
    const kind = KIND_OF[lister.resource] as string;
    for (const list of pagedLists(scope.apis, lister, scope.namespaces)) {
      for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
        for (const item of page) {
          const object = toPlainObject(item, kind);
          const key = workloadKey(kind, item.metadata?.namespace, item.metadata?.name);
          if (yielded.has(key)) continue;
          yielded.add(key);
          const input = build(object, running.get(key) ?? { replicas: 0, digests: new Map() });
          if (input) yield input;
        }
      }
    }
  }
}

const KIND_OF: Record<string, string> = {
  deployments: "Deployment",
  statefulsets: "StatefulSet",
  daemonsets: "DaemonSet",
  cronjobs: "CronJob",
};

/** The workload a pod rolls up to; undefined for a bare pod (or one owned by something Rampart does not read). */
function ownerKey(pod: PodJson, indexes: ClusterIndexes): WorkloadKey | undefined {
  const owner = controllerOf(pod.metadata?.ownerReferences);
  const ns = pod.metadata?.namespace;
  switch (owner?.kind) {
    case "ReplicaSet":
      return indexes.replicaSetOwners.get(owner.uid);
    case "Job":
      return indexes.jobOwners.get(owner.uid);
    case "StatefulSet":
    case "DaemonSet":
      return workloadKey(owner.kind, ns, owner.name);
    default:
      return undefined;
  }
}

function addRunning(running: Map<WorkloadKey, Running>, key: WorkloadKey, pod: PodJson): void {
  const entry = running.get(key);
  if (!entry) {
    running.set(key, { replicas: 1, digests: digestsOf(pod) });
    return;
  }
  entry.replicas += 1;
  for (const [name, digest] of digestsOf(pod)) if (!entry.digests.has(name)) entry.digests.set(name, digest);
}

function digestsOf(pod: PodJson): Map<string, string> {
  const digests = new Map<string, string>();
  const status = pod.status;
  for (const list of [status?.initContainerStatuses, status?.containerStatuses, status?.ephemeralContainerStatuses]) {
    for (const s of list ?? []) if (s.imageID) digests.set(s.name, s.imageID);
  }
  return digests;
}

function toInput(
  object: Record<string, unknown>,
  running: Running | undefined,
  indexes: ClusterIndexes,
  source: string,
  report: CollectionReport,
): KubernetesWorkloadInput | undefined {
  const meta = object.metadata as { namespace?: string; name?: string };
  const namespace = meta.namespace ?? "default";
  const { input, errors } = normalizeKubernetesWorkload(object, {
    source,
    networkPolicies: networkPoliciesFor(indexes, namespace),
    serviceAccounts: indexes.serviceAccounts,
    runningDigests: running?.digests,
    replicas: running?.replicas,
  });
  if (!input) {
    const where = errors.map((e) => [e.field, e.message].filter(Boolean).join(": ")).join("; ");
    report.warnings.push(`${String(object.kind)} ${namespace}/${meta.name} could not be read: ${where}`);
    report.complete = false;
    return undefined;
  }
  return { ...input, namespaceLabels: indexes.namespaceLabels.get(namespace) ?? {} };
}
