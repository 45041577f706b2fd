import type { Db } from "@/lib/db";
import { createLogger } from "@/lib/log";
import { failInterruptedRuns } from "@/lib/services/runs";
import { dropLease, leaseDueTargets, releaseTarget, renewLease, setEventStreamStatus } from "@/lib/services/targets";
import { RUN_TIMEOUT_MS } from "./collect-target";
import { startFollowing, type Follower } from "./follow-target";
import { runCollection, type RunCollectionResult } from "./run-collection";

/** Longer than a run may take, so a live worker never loses its lease; a crashed one's lease lapses. */
export const LEASE_MS = RUN_TIMEOUT_MS + 60_000;

/** `RAMPART_LEASE_SECONDS` shortens the lease (tests of takeover after a crash); LEASE_MS otherwise. */
export function leaseMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.RAMPART_LEASE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : LEASE_MS;
}

export interface SchedulerOptions {
  db: Db;
  workerId: string;
  concurrency: number;
  /** How long to wait when no target is due. */
  idleMs?: number;
  signal?: AbortSignal;
  onRun?: (targetId: string, result: RunCollectionResult) => void;
  /** Follow Docker events and Kubernetes watches between polls (default true). */
  follow?: boolean;
  /** After workloads re-judged from events were stored. */
  onStored?: (workloads: number) => void;
}

export interface Scheduler {
  /** Cancels running polls (recorded as failed), closes event streams, releases targets, resolves when quiet. */
  stop(): Promise<void>;
  /**
   * Graceful stop: leases nothing more and lets the polls in hand finish, cancelling (as stop) those still running
   * after `graceMs`; then closes event streams and releases targets. Resolves with the number of polls it cancelled.
   */
  drain(graceMs: number): Promise<number>;
  /** Polls running now. */
  running(): number;
  /** Resolves when the loop has ended (after stop or abort). */
  done: Promise<void>;
}

/** Waits `ms` or until `signal` aborts; `wake` ends it early, so a nap cut short by a finished poll leaves nothing. */
function sleep(ms: number, signal: AbortSignal): { done: Promise<void>; wake(): void } {
  let wake = () => undefined as void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(end, ms);
    function end() {
      clearTimeout(timer);
      signal.removeEventListener("abort", end);
      resolve();
    }
    signal.addEventListener("abort", end, { once: true });
    wake = end;
  });
  return { done, wake };
}

/** Renews the lease a third of the way through each period; a lost lease cancels the run, so no two overlap. */
function keepLease(
  options: SchedulerOptions,
  targetId: string,
  lost: AbortController,
  whileEnabled = false,
): () => void {
  const leaseMs = leaseMsFromEnv();
  const timer = setInterval(() => {
    renewLease(options.db, { targetId, workerId: options.workerId, leaseMs, whileEnabled })
      .then((held) => held || lost.abort())
      .catch(() => undefined);
  }, leaseMs / 3);
  return () => clearInterval(timer);
}

const LEASE_LOST = "the target was disabled or its lease went to another worker";

const log = createLogger("worker");

interface Context {
  options: SchedulerOptions;
  /** Targets whose events this worker follows, holding their lease between polls. */
  followers: Map<string, Follower>;
  /** Targets this worker polls right now. */
  polling: Set<string>;
}

async function pollOne(ctx: Context, targetId: string, signal: AbortSignal): Promise<void> {
  const { options } = ctx;
  // One controller for both causes, listener removed after the poll (AbortSignal.any would linger on `signal`).
  const cancel = new AbortController();
  const onStop = () => cancel.abort();
  signal.addEventListener("abort", onStop, { once: true });
  const stopRenewing = keepLease(options, targetId, cancel);
  ctx.polling.add(targetId);
  ctx.followers.get(targetId)?.pause();
  let result: RunCollectionResult | undefined;
  try {
    // Under this lease no other poll of the target is live: a run older than a lease is one whose end was lost.
    const startedBefore = new Date(Date.now() - LEASE_MS);
    await failInterruptedRuns(options.db, { targetId, startedBefore }).catch((error: unknown) => {
      log.error(`target ${targetId}: could not fail interrupted runs: ${String(error)}`, { targetId });
    });
    result = await runCollection({ db: options.db, targetId, signal: cancel.signal });
    options.onRun?.(targetId, result);
  } catch (error) {
    log.error(`target ${targetId}: ${error instanceof Error ? error.message : String(error)}`, { targetId });
  } finally {
    stopRenewing();
    signal.removeEventListener("abort", onStop);
    const mayFollow = result !== undefined && result.status !== "failed" && !cancel.signal.aborted;
    await settle(ctx, targetId, mayFollow).catch((error: unknown) => {
      log.error(`could not release target ${targetId}: ${String(error)}`, { targetId });
    });
    ctx.polling.delete(targetId);
  }
}

/** After a poll: follow the target's events if possible (keeping the lease), else release it until its next run. */
async function settle(ctx: Context, targetId: string, mayFollow: boolean): Promise<void> {
  const { db, workerId } = ctx.options;
  let follower = ctx.followers.get(targetId);
  if (!follower && mayFollow && ctx.options.follow !== false) follower = await follow(ctx, targetId);
  follower?.resume();
  // The stream may have dropped meanwhile: then the lease goes back as after any poll.
  const keepLeaseMs = follower && ctx.followers.get(targetId) === follower ? leaseMsFromEnv() : undefined;
  const held = await releaseTarget(db, { targetId, workerId, ...(keepLeaseMs ? { keepLeaseMs } : {}) });
  if (keepLeaseMs && !held) await unfollow(ctx, targetId, LEASE_LOST);
}

/** Opens the event stream, renews the lease while it lasts, and falls back to polling when either is lost. */
async function follow(ctx: Context, targetId: string): Promise<Follower | undefined> {
  const { db } = ctx.options;
  let follower: Follower;
  try {
    follower = await startFollowing({
      db,
      targetId,
      ...(ctx.options.onStored ? { onStored: ctx.options.onStored } : {}),
    });
  } catch (error) {
    const reason = `could not follow events: ${error instanceof Error ? error.message : String(error)}`;
    await setEventStreamStatus(db, { targetId, state: "polling", reason });
    return undefined;
  }
  ctx.followers.set(targetId, follower);
  await setEventStreamStatus(db, { targetId, state: "live" });
  const lost = new AbortController();
  const stopRenewing = keepLease(ctx.options, targetId, lost, true);
  const onLost = () => void unfollow(ctx, targetId, LEASE_LOST);
  lost.signal.addEventListener("abort", onLost, { once: true });
  void follower.ended.then((reason) => unfollow(ctx, targetId, `event stream dropped: ${reason}`));
  followerCleanups.set(follower, () => {
    stopRenewing();
    lost.signal.removeEventListener("abort", onLost);
  });
  return follower;
}

const followerCleanups = new WeakMap<Follower, () => void>();

/** Stops following; the lease goes back unless a poll of the target is running (it releases it at the end). */
async function unfollow(ctx: Context, targetId: string, reason: string): Promise<void> {
  const follower = ctx.followers.get(targetId);
  if (!follower) return;
  ctx.followers.delete(targetId);
  followerCleanups.get(follower)?.();
  const { db, workerId } = ctx.options;
  try {
    await follower.stop();
    await setEventStreamStatus(db, { targetId, state: "polling", reason });
    if (!ctx.polling.has(targetId)) await dropLease(db, { targetId, workerId });
  } catch (error) {
    log.error(`target ${targetId}: could not stop following: ${String(error)}`, { targetId });
  }
}

async function loop(ctx: Context, signal: AbortSignal, draining: AbortSignal): Promise<void> {
  const { options } = ctx;
  const running = new Set<Promise<void>>();
  const idleMs = options.idleMs ?? 5_000;
  const napSignal = AbortSignal.any([signal, draining]);
  while (!signal.aborted && !draining.aborted) {
    const free = options.concurrency - running.size;
    const leased = free > 0 ? await leaseSafely(options, free, [...ctx.polling]) : [];
    if (signal.aborted || draining.aborted) {
      // Told to stop while leasing: the targets go back unpolled, still due, for another worker.
      const { db, workerId } = options;
      await Promise.allSettled(leased.map((target) => dropLease(db, { targetId: target.id, workerId })));
      break;
    }
    for (const target of leased) {
      const run: Promise<void> = pollOne(ctx, target.id, signal).finally(() => running.delete(run));
      running.add(run);
    }
    if (leased.length === 0 || running.size >= options.concurrency) {
      const nap = sleep(idleMs, napSignal);
      await Promise.race([nap.done, ...running]);
      nap.wake();
    }
  }
  await Promise.allSettled(running);
  await Promise.allSettled([...ctx.followers.keys()].map((id) => unfollow(ctx, id, "the worker stopped")));
}

async function leaseSafely(options: SchedulerOptions, limit: number, exclude: string[]): Promise<{ id: string }[]> {
  try {
    return await leaseDueTargets(options.db, {
      workerId: options.workerId,
      limit,
      leaseMs: leaseMsFromEnv(),
      exclude,
    });
  } catch (error) {
    log.error(`could not lease targets: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

/**
 * Leases due targets (FOR UPDATE SKIP LOCKED in the service) and polls them. Between polls it follows each target's
 * events while it holds the lease; a target without a stream is released until its next run.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const controller = new AbortController();
  const draining = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const ctx: Context = { options, followers: new Map(), polling: new Set() };
  const done = loop(ctx, signal, draining.signal);
  return {
    done,
    running: () => ctx.polling.size,
    async stop() {
      controller.abort();
      await done;
    },
    async drain(graceMs) {
      draining.abort();
      let cancelled = 0;
      const timer = setTimeout(() => {
        cancelled = ctx.polling.size;
        controller.abort();
      }, graceMs);
      await done;
      clearTimeout(timer);
      return cancelled;
    },
  };
}
