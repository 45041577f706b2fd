import { RESOURCE_TYPES, resourceByKind } from "./resources";
import type { KubeObject } from "./expand";

type State = Map<string, KubeObject[]>;

/** One change as a watch delivers it; the object carries the resourceVersion of the change. */
export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  plural: string;
  resourceVersion: number;
  object: KubeObject;
}

export type WatchStart = { ok: true; events: WatchEvent[]; resourceVersion: number } | { ok: false; oldest: number };

export type ListResult =
  | { ok: true; items: KubeObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number }
  | { ok: false; reason: "expired" | "invalid" };

interface ContinueToken {
  rv: number;
  key: string;
  start: number;
}

const byNamespaceAndName = (a: KubeObject, b: KubeObject): number =>
  (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
  a.metadata.name.localeCompare(b.metadata.name);

/**
 * Objects by resource, kept as immutable snapshots per resourceVersion so that paged lists stay consistent,
 * as etcd does; old snapshots are compacted, which is what makes a continue token expire.
 */
export class ClusterStore {
  private resourceVersion = 1;
  private readonly states = new Map<number, State>();
  private readonly slices = new Map<string, KubeObject[]>();
  private readonly json = new WeakMap<KubeObject, string>();
  /** Changes after `watchFloor`, oldest first: a watch may start from any resourceVersion at or above the floor. */
  private watchLog: WatchEvent[] = [];
  private watchFloor = 1;
  private staged: Omit<WatchEvent, "resourceVersion">[] = [];
  private readonly watchers = new Set<(event: WatchEvent) => void>();

  constructor(
    objects: KubeObject[],
    private readonly historySize = 8,
    private readonly watchHistory = 1000,
  ) {
    this.commit(this.indexed(new Map(), objects));
    this.watchLog = [];
  }

  get currentVersion(): number {
    return this.resourceVersion;
  }

  /** Adds or replaces objects (same kind, namespace and name) in one new resourceVersion. */
  apply(objects: KubeObject[]): void {
    this.commit(this.indexed(this.current(), objects));
  }

  remove(kind: string, namespace: string | undefined, name: string): boolean {
    const plural = resourceByKind(kind)?.plural;
    const list = plural ? this.current().get(plural) : undefined;
    if (!plural || !list) return false;
    const kept = list.filter((o) => !(o.metadata.name === name && (o.metadata.namespace ?? "") === (namespace ?? "")));
    if (kept.length === list.length) return false;
    const next = new Map(this.current());
    next.set(plural, kept);
    for (const object of list) if (!kept.includes(object)) this.staged.push({ type: "DELETED", plural, object });
    this.commit(next);
    return true;
  }

  /**
   * Forgets every snapshot but the newest and the watch history before it, as etcd compaction does: outstanding
   * continue tokens answer 410 Gone, and so does a watch from an older resourceVersion.
   */
  compact(): void {
    for (const rv of [...this.states.keys()]) if (rv !== this.resourceVersion) this.states.delete(rv);
    this.slices.clear();
    this.watchLog = [];
    this.watchFloor = this.resourceVersion;
  }

  /** The changes after `from` (of one resource, optionally one namespace), or how old a watch may start. */
  watchFrom(plural: string, namespace: string | undefined, from: number): WatchStart {
    if (from < this.watchFloor) return { ok: false, oldest: this.watchFloor };
    const events = this.watchLog.filter((e) => e.resourceVersion > from && matches(e, plural, namespace));
    return { ok: true, events, resourceVersion: this.resourceVersion };
  }

  /** Calls `listener` with every change from now on; returns the function that stops it. */
  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.current()
      .get(plural)
      ?.find((o) => o.metadata.name === name && (o.metadata.namespace ?? "") === (namespace ?? ""));
  }

  list(plural: string, namespace: string | undefined, options: { limit?: number; continue?: string }): ListResult {
    const key = `${plural}/${namespace ?? ""}`;
    let rv = this.resourceVersion;
    let start = 0;
    if (options.continue) {
      const token = decodeToken(options.continue);
      if (!token || token.key !== key) return { ok: false, reason: "invalid" };
      if (!this.states.has(token.rv)) return { ok: false, reason: "expired" };
      rv = token.rv;
      start = token.start;
    }
    const all = this.slice(rv, plural, namespace);
    const end = options.limit && options.limit > 0 ? Math.min(all.length, start + options.limit) : all.length;
    const result: ListResult = { ok: true, items: all.slice(start, end), resourceVersion: String(rv) };
    if (end < all.length) {
      result.continue = encodeToken({ rv, key, start: end });
      result.remainingItemCount = all.length - end;
    }
    return result;
  }

  /** The object's JSON, computed once: pages are served from these strings. */
  jsonOf(object: KubeObject): string {
    let text = this.json.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.json.set(object, text);
    }
    return text;
  }

  count(plural: string): number {
    return this.current().get(plural)?.length ?? 0;
  }

  private record(changes: Omit<WatchEvent, "resourceVersion">[]): void {
    const rv = this.resourceVersion;
    for (const change of changes) {
      const object =
        change.type === "DELETED"
          ? { ...change.object, metadata: { ...change.object.metadata, resourceVersion: String(rv) } }
          : change.object;
      const event: WatchEvent = { ...change, object, resourceVersion: rv };
      this.watchLog.push(event);
      for (const watcher of this.watchers) watcher(event);
    }
    if (this.watchLog.length > this.watchHistory) {
      const dropped = this.watchLog.splice(0, this.watchLog.length - this.watchHistory);
      this.watchFloor = Math.max(this.watchFloor, dropped.at(-1)!.resourceVersion);
    }
  }

  private current(): State {
    return this.states.get(this.resourceVersion) as State;
  }

  private slice(rv: number, plural: string, namespace: string | undefined): KubeObject[] {
    const all = this.states.get(rv)?.get(plural) ?? [];
    if (namespace === undefined) return all;
    const cacheKey = `${rv}/${plural}/${namespace}`;
    let slice = this.slices.get(cacheKey);
    if (!slice) {
      slice = all.filter((o) => o.metadata.namespace === namespace);
      this.slices.set(cacheKey, slice);
    }
    return slice;
  }

  private indexed(base: State, objects: KubeObject[]): State {
    const next = new Map(base);
    const version = String(this.states.size === 0 ? this.resourceVersion : this.resourceVersion + 1);
    const touched = new Map<string, Map<string, KubeObject>>();
    for (const object of objects) {
      const plural = resourceByKind(object.kind)?.plural;
      if (!plural) continue;
      let group = touched.get(plural);
      if (!group) {
        group = new Map((next.get(plural) ?? []).map((o) => [`${o.metadata.namespace ?? ""}/${o.metadata.name}`, o]));
        touched.set(plural, group);
      }
      const stamped = { ...object, metadata: { ...object.metadata, resourceVersion: version } };
      const key = `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
      this.staged.push({ type: group.has(key) ? "MODIFIED" : "ADDED", plural, object: stamped });
      group.set(key, stamped);
    }
    for (const [plural, group] of touched) next.set(plural, [...group.values()].sort(byNamespaceAndName));
    for (const type of RESOURCE_TYPES) if (!next.has(type.plural)) next.set(type.plural, []);
    return next;
  }

  private commit(state: State): void {
    if (this.states.size > 0) this.resourceVersion += 1;
    this.states.set(this.resourceVersion, state);
    this.record(this.staged.splice(0));
    for (const rv of [...this.states.keys()]) if (rv <= this.resourceVersion - this.historySize) this.states.delete(rv);
    for (const key of [...this.slices.keys()]) if (!this.states.has(Number(key.split("/")[0]))) this.slices.delete(key);
  }
}

function matches(event: WatchEvent, plural: string, namespace: string | undefined): boolean {
  return event.plural === plural && (namespace === undefined || event.object.metadata.namespace === namespace);
}

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): ContinueToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString()) as Partial<ContinueToken>;
    if (typeof value.rv !== "number" || typeof value.key !== "string" || typeof value.start !== "number")
      return undefined;
    return value as ContinueToken;
  } catch {
    return undefined;
  }
}
