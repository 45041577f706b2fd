import { decryptCredentials } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import type { Platform, WorkloadInput } from "@/lib/domain/facts";
import { listActiveExceptionRules } from "@/lib/services/exceptions";
import { loadReportContext, loadReportIndex } from "@/lib/services/reports";
import { notifyAfterRun } from "@/lib/services/notifications";
import { recordLiveUpdate } from "@/lib/services/runs/record-live-update";
import { pollTargetNow } from "@/lib/services/targets";
import { inspectImagesOnce } from "./image-inspection";
import type { CollectionReport, TargetConnection, TargetCredentials, TargetSettings } from "./types";

/** Where a stream reports what it saw: a workload (or container) that may have changed, or one that went away. */
export interface ChangeSink {
  changed(key: string): void;
  gone(): void;
}

/** One target's open event stream, and how to read again just what it named. */
export interface LiveSource {
  /** Resolves with the reason when the stream drops by itself. */
  ended: Promise<string>;
  stop(): void;
  /** Reads what `keys` name again, with the target as stored now (its settings may have changed since). */
  collect(
    target: TargetConnection,
    keys: ReadonlySet<string>,
    report: CollectionReport,
    signal: AbortSignal,
  ): Promise<WorkloadInput[]>;
}

type OpenLiveSource = (target: TargetConnection, sink: ChangeSink) => Promise<LiveSource>;

// Loaded on first use, like the collectors: client-node is large and a Docker-only worker never needs it.
const SOURCES: Partial<Record<Platform, () => Promise<OpenLiveSource>>> = {
  docker: () => import("./docker/events").then((module) => module.openDockerLiveSource),
  kubernetes: () => import("./kubernetes/watch").then((module) => module.openKubernetesLiveSource),
};

/** Quiet time after the last event of a burst before its workloads are judged, and the longest wait. */
export const DEBOUNCE_MS = 300;
const MAX_WAIT_MS = 2_000;
const LIVE_TIMEOUT_MS = 60_000;
const LIVE_INSPECTION_BUDGET_MS = 10_000;

export interface Follower {
  /** Resolves with the reason when the event stream drops by itself (not after `stop`). */
  ended: Promise<string>;
  /** Holds changes while a poll of the target runs; `resume` judges what came in meanwhile. */
  pause(): void;
  resume(): void;
  /** Closes the stream and waits for a re-judgement in flight. */
  stop(): Promise<void>;
}

export interface FollowOptions {
  db: Db;
  targetId: string;
  debounceMs?: number;
  /** After each stored re-judgement (tests and benchmarks measure latency with it). */
  onStored?: (workloads: number) => void;
}

async function loadConnection(db: Db, targetId: string): Promise<TargetConnection> {
  const target = await db.target.findUnique({ where: { id: targetId } });
  if (!target) throw new Error(`target ${targetId} does not exist`);
  const credentials = target.credentials ? decryptCredentials<TargetCredentials>(target.credentials) : {};
  const settings = (target.settings ?? {}) as TargetSettings;
  return { name: target.name, platform: target.platform as Platform, url: target.url, settings, credentials };
}

/** Opens the target's event stream; throws when the platform has none or the stream cannot be opened. */
export async function startFollowing(options: FollowOptions): Promise<Follower> {
  const target = await loadConnection(options.db, options.targetId);
  const open = SOURCES[target.platform];
  if (!open) throw new Error(`${target.platform} targets have no event stream`);
  const batcher = new ChangeBatcher(options, options.debounceMs ?? DEBOUNCE_MS);
  const source = await (await open())(target, batcher);
  batcher.source = source;
  return {
    ended: source.ended,
    pause: () => batcher.pause(),
    resume: () => batcher.resume(),
    async stop() {
      source.stop();
      await batcher.close();
    },
  };
}

/** Coalesces a burst of events per workload, then judges and stores those workloads, one batch at a time. */
class ChangeBatcher implements ChangeSink {
  source?: LiveSource;
  private pending = new Set<string>();
  private wantsPoll = false;
  private timer?: NodeJS.Timeout;
  private firstAt = 0;
  private paused = 0;
  private closed = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    private readonly options: FollowOptions,
    private readonly debounceMs: number,
  ) {}

  changed(key: string): void {
    this.pending.add(key);
    this.schedule();
  }

  gone(): void {
    this.wantsPoll = true;
    this.schedule();
  }

  pause(): void {
    this.paused += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  resume(): void {
    this.paused = Math.max(0, this.paused - 1);
    if (this.pending.size > 0 || this.wantsPoll) this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.flushing;
  }

  private schedule(): void {
    if (this.closed || this.paused > 0) return;
    const now = Date.now();
    if (!this.timer) this.firstAt = now;
    clearTimeout(this.timer);
    const wait = Math.min(this.debounceMs, Math.max(0, this.firstAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, wait);
  }

  private async flush(): Promise<void> {
    if (this.closed || this.paused > 0 || !this.source) return;
    const keys = this.pending;
    const poll = this.wantsPoll;
    this.pending = new Set();
    this.wantsPoll = false;
    try {
      if (poll) await pollTargetNow(this.options.db, this.options.targetId);
      if (keys.size > 0) await this.judge(this.source, keys);
    } catch (error) {
      if (this.closed) return;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`rampart worker: target ${this.options.targetId}: re-judging after events failed: ${message}`);
    }
  }

  private async judge(source: LiveSource, keys: ReadonlySet<string>): Promise<void> {
    const { db, targetId } = this.options;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(LIVE_TIMEOUT_MS)]);
    const report: CollectionReport = { warnings: [], complete: false };
    const target = await loadConnection(db, targetId);
    const workloads = await source.collect(target, keys, report, signal);
    if (workloads.length === 0 || this.closed) return;
    await inspectImagesOnce(db, workloads, LIVE_INSPECTION_BUDGET_MS);
    const now = new Date();
    const exceptions = await listActiveExceptionRules(db, now);
    const reports = await loadReportIndex(db, workloads, await loadReportContext(db, now));
    for (const workload of workloads) reports.attach(workload, targetId);
    const stored = await recordLiveUpdate(db, { targetId, workloads, exceptions, warnings: report.warnings, now });
    const { runId, findingsOpened } = stored;
    await notifyAfterRun(db, { runId, targetId, status: "live", at: now, findingsOpened });
    this.options.onStored?.(workloads.length);
  }
}
