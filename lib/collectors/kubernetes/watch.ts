import { Watch } from "@kubernetes/client-node";
import type { ChangeSink, LiveSource } from "@/lib/collectors/follow-target";
import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { WorkloadInput } from "@/lib/domain/facts";
import { createKubeApis, loadKubeConfig } from "./client";
import { collectKubernetesWorkloads } from "./collect";
import { describeKubeError } from "./errors";
import { controllerOf, workloadKey, type WorkloadKey } from "./indexes";
import type { ObjectJson, PodJson } from "./json-types";
import { CRON_JOBS, DAEMON_SETS, DEPLOYMENTS, JOBS, PODS, REPLICA_SETS, STATEFUL_SETS, type Lister } from "./lists";

interface Followed {
  lister: Lister<ObjectJson>;
  kind: string;
  base: string;
}

/** Pods and every workload kind Rampart judges; ReplicaSets and Jobs also map pods to their Deployment or CronJob. */
const FOLLOWED: Followed[] = [
  { lister: REPLICA_SETS, kind: "ReplicaSet", base: "/apis/apps/v1" },
  { lister: JOBS, kind: "Job", base: "/apis/batch/v1" },
  { lister: PODS, kind: "Pod", base: "/api/v1" },
  { lister: DEPLOYMENTS, kind: "Deployment", base: "/apis/apps/v1" },
  { lister: STATEFUL_SETS, kind: "StatefulSet", base: "/apis/apps/v1" },
  { lister: DAEMON_SETS, kind: "DaemonSet", base: "/apis/apps/v1" },
  { lister: CRON_JOBS, kind: "CronJob", base: "/apis/batch/v1" },
];

const PAGE = 500;
/** Longer than the gap between bookmarks; a quieter stream is re-opened from where it was, not dropped. */
const INACTIVITY_MS = 90_000;
const WATCH_SECONDS = 300;

type Signature = string;

/** One watch: a resource in the whole cluster or one namespace, and what it has seen so far. */
interface Stream {
  followed: Followed;
  namespace?: string;
  resourceVersion: string;
  /** `namespace/name` → what a change is judged by (pods: their images; others: the resourceVersion). */
  seen: Map<string, Signature>;
  expired: boolean;
  failures: number;
  controller?: AbortController;
}

function nameOf(object: ObjectJson): string {
  return `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}

function signatureOf(kind: string, object: ObjectJson): Signature {
  if (kind !== "Pod") return String(object.metadata?.resourceVersion ?? "");
  const status = (object as PodJson).status;
  const images = [status?.initContainerStatuses, status?.containerStatuses, status?.ephemeralContainerStatuses]
    .flatMap((list) => list ?? [])
    .map((s) => `${s.name}=${s.imageID ?? ""}`);
  return JSON.stringify([object.metadata?.uid, images]);
}

/** Follows one target with watches, maps each change to the workload a poll would judge it under. */
class KubernetesFollower {
  private readonly streams: Stream[] = [];
  /** `ReplicaSet/ns/name` or `Job/ns/name` → the workload it belongs to. */
  private readonly owners = new Map<WorkloadKey, WorkloadKey>();
  private stopped = false;
  private finish: (reason: string) => void = () => undefined;
  readonly ended = new Promise<string>((resolve) => (this.finish = resolve));

  constructor(
    private readonly target: TargetConnection,
    private readonly server: string,
    private readonly watch: Watch,
    private readonly sink: ChangeSink,
  ) {
    const namespaces = target.settings.namespaces?.length ? target.settings.namespaces : [undefined];
    for (const followed of FOLLOWED)
      for (const namespace of namespaces)
        this.streams.push({ followed, namespace, resourceVersion: "", seen: new Map(), expired: false, failures: 0 });
  }

  async start(): Promise<void> {
    for (const stream of this.streams) await this.list(stream, false);
    for (const stream of this.streams) await this.open(stream, true);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams) stream.controller?.abort();
  }

  private drop(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.finish(reason);
  }

  private keyOf(kind: string, object: ObjectJson): WorkloadKey {
    const ns = object.metadata?.namespace;
    const own = workloadKey(kind, ns, object.metadata?.name);
    const owner = controllerOf(object.metadata?.ownerReferences);
    if (kind === "ReplicaSet" || kind === "Job") {
      const top = owner?.kind === (kind === "Job" ? "CronJob" : "Deployment") ? owner.kind : undefined;
      const key = top && owner ? workloadKey(top, ns, owner.name) : own;
      this.owners.set(own, key);
      return key;
    }
    if (kind !== "Pod" || !owner) return own;
    const parent = workloadKey(owner.kind, ns, owner.name);
    if (owner.kind === "ReplicaSet" || owner.kind === "Job") return this.owners.get(parent) ?? parent;
    return owner.kind === "StatefulSet" || owner.kind === "DaemonSet" ? parent : own;
  }

  /** Lists the resource; on a re-list (after 410) whatever differs from what was seen counts as changed. */
  private async list(stream: Stream, compare: boolean): Promise<void> {
    const { lister, kind } = stream.followed;
    const apis = await createKubeApis(this.target, AbortSignal.timeout(60_000));
    const seen = new Map<string, Signature>();
    try {
      let token: string | undefined;
      do {
        const params = token ? { limit: PAGE, _continue: token } : { limit: PAGE };
        const page = await (stream.namespace
          ? lister.inNamespace(apis, stream.namespace, params)
          : lister.all(apis, params));
        for (const item of page.items) {
          const name = nameOf(item);
          const signature = signatureOf(kind, item);
          seen.set(name, signature);
          const key = this.keyOf(kind, item);
          if (compare && stream.seen.get(name) !== signature) this.changed(item, key);
        }
        stream.resourceVersion = page.metadata?.resourceVersion ?? stream.resourceVersion;
        token = page.metadata?._continue;
      } while (token);
    } catch (error) {
      const action = {
        verb: "list" as const,
        resource: lister.resource,
        group: lister.group,
        namespace: stream.namespace,
      };
      throw describeKubeError(error, action, apis.server);
    } finally {
      await apis.close();
    }
    if (compare) for (const name of stream.seen.keys()) if (!seen.has(name)) this.sink.gone();
    stream.seen = seen;
  }

  private changed(object: ObjectJson, key: WorkloadKey): void {
    this.sink.changed(JSON.stringify([object.metadata?.namespace ?? "", key]));
  }

  private path(stream: Stream): string {
    const ns = stream.namespace ? `/namespaces/${encodeURIComponent(stream.namespace)}` : "";
    return `${stream.followed.base}${ns}/${stream.followed.lister.resource}`;
  }

  /** Opens the watch from the stream's resourceVersion; `first` rejects when it cannot be opened. */
  private async open(stream: Stream, first: boolean): Promise<void> {
    if (this.stopped) return;
    // A first watch that ends before it is open means the target cannot be followed; later ones are re-opened.
    let opening = first;
    let failed: unknown;
    const query = { resourceVersion: stream.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_SECONDS };
    stream.controller = await this.watch.watch(
      this.path(stream),
      query,
      (type, object) => this.onEvent(stream, type, object as ObjectJson),
      (error) => {
        if (opening) failed = error;
        else void this.onDone(stream, error);
      },
    );
    opening = false;
    if (failed !== undefined) throw new Error(this.describe(stream, failed));
  }

  private describe(stream: Stream, error: unknown): string {
    const scope = stream.namespace ? `in namespace "${stream.namespace}"` : "at cluster scope";
    const what = `watch ${stream.followed.lister.resource} ${scope}`;
    const e = error as { statusCode?: number; message?: string; cause?: { code?: string; message?: string } } | null;
    if (e?.statusCode) return `cannot ${what}: HTTP ${e.statusCode} ${e.message ?? ""}`.trimEnd();
    return `cannot ${what} at ${this.server}: ${e?.cause?.code ?? e?.cause?.message ?? e?.message ?? "closed"}`;
  }

  private onEvent(stream: Stream, type: string, object: ObjectJson): void {
    stream.failures = 0;
    const rv = object?.metadata?.resourceVersion;
    if (type === "ERROR") {
      const status = object as { code?: number; message?: string };
      if (status.code === 410) stream.expired = true;
      else this.drop(`watch error ${status.code ?? ""}: ${status.message ?? "unknown"}`);
      return;
    }
    if (typeof rv === "string") stream.resourceVersion = rv;
    if (type === "BOOKMARK") return;
    const { kind } = stream.followed;
    const name = nameOf(object);
    const key = this.keyOf(kind, object);
    if (type === "DELETED") {
      stream.seen.delete(name);
      if (key === workloadKey(kind, object.metadata?.namespace, object.metadata?.name)) this.sink.gone();
      else this.changed(object, key);
      return;
    }
    const signature = signatureOf(kind, object);
    if (stream.seen.get(name) === signature) return;
    stream.seen.set(name, signature);
    this.changed(object, key);
  }

  /** A watch ends by timeout or the server: open it again; 410 re-lists first; twice failing drops the stream. */
  private async onDone(stream: Stream, error: unknown): Promise<void> {
    if (this.stopped) return;
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    if (error && !timedOut && ++stream.failures >= 2) return this.drop(this.describe(stream, error));
    try {
      if (stream.expired) {
        stream.expired = false;
        await this.list(stream, true);
      }
      if (stream.failures > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      await this.open(stream, false);
    } catch (error) {
      this.drop(error instanceof Error ? error.message : String(error));
    }
  }
}

/** The workloads named by keys, each judged from a collection of its namespace alone. */
async function collectChanged(
  target: TargetConnection,
  keys: ReadonlySet<string>,
  report: CollectionReport,
  signal: AbortSignal,
): Promise<WorkloadInput[]> {
  const byNamespace = new Map<string, Set<WorkloadKey>>();
  for (const text of keys) {
    const [namespace, key] = JSON.parse(text) as [string, WorkloadKey];
    byNamespace.set(namespace, (byNamespace.get(namespace) ?? new Set()).add(key));
  }
  const workloads: WorkloadInput[] = [];
  for (const [namespace, wanted] of byNamespace) {
    const scoped = { ...target, settings: { ...target.settings, namespaces: [namespace] } };
    for await (const input of collectKubernetesWorkloads(scoped, report, signal)) {
      const { kind, namespace: ns, name } = input.workload;
      if (wanted.has(workloadKey(kind, ns, name))) workloads.push(input);
    }
  }
  return workloads;
}

/** A cluster as a live source: lists each followed resource, then watches it from the list's resourceVersion. */
export async function openKubernetesLiveSource(target: TargetConnection, sink: ChangeSink): Promise<LiveSource> {
  const { kc } = await loadKubeConfig(target);
  const watch = new Watch(kc);
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = INACTIVITY_MS;
  const server = kc.getCurrentCluster()?.server ?? target.url;
  const follower = new KubernetesFollower(target, server, watch, sink);
  try {
    await follower.start();
  } catch (error) {
    follower.stop();
    throw error;
  }
  return {
    ended: follower.ended,
    stop: () => follower.stop(),
    collect: (current, keys, report, signal) => collectChanged(current, keys, report, signal),
  };
}
