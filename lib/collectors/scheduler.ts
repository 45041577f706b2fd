import type { Db } from "@/lib/db";
import { leaseDueTargets, releaseTarget, renewLease } from "@/lib/services/targets";
import { RUN_TIMEOUT_MS } from "./collect-target";
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
}

export interface Scheduler {
  /** Cancels running polls (recorded as failed), releases their targets and resolves when all is quiet. */
  stop(): Promise<void>;
  /** Resolves when the loop has ended (after stop or abort). */
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Renews the lease a third of the way through each period; a lost lease cancels the run, so no two overlap. */
function keepLease(options: SchedulerOptions, targetId: string, lost: AbortController): () => void {
  const leaseMs = leaseMsFromEnv();
  const timer = setInterval(() => {
    renewLease(options.db, { targetId, workerId: options.workerId, leaseMs })
      .then((held) => held || lost.abort())
      .catch(() => undefined);
  }, leaseMs / 3);
  return () => clearInterval(timer);
}

async function pollOne(options: SchedulerOptions, targetId: string, signal: AbortSignal): Promise<void> {
  // One controller for both causes, listener removed after the poll (AbortSignal.any would linger on `signal`).
  const cancel = new AbortController();
  const onStop = () => cancel.abort();
  signal.addEventListener("abort", onStop, { once: true });
  const stopRenewing = keepLease(options, targetId, cancel);
  try {
    const result = await runCollection({ db: options.db, targetId, signal: cancel.signal });
    options.onRun?.(targetId, result);
  } catch (error) {
    console.error(`rampart worker: target ${targetId}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    stopRenewing();
    signal.removeEventListener("abort", onStop);
    await releaseTarget(options.db, { targetId, workerId: options.workerId }).catch((error: unknown) => {
      console.error(`rampart worker: could not release target ${targetId}: ${String(error)}`);
    });
  }
}

async function loop(options: SchedulerOptions, signal: AbortSignal): Promise<void> {
  const running = new Set<Promise<void>>();
  const idleMs = options.idleMs ?? 5_000;
  while (!signal.aborted) {
    const free = options.concurrency - running.size;
    const leased = free > 0 ? await leaseSafely(options, free) : [];
    for (const target of leased) {
      const run: Promise<void> = pollOne(options, target.id, signal).finally(() => running.delete(run));
      running.add(run);
    }
    if (leased.length === 0 || running.size >= options.concurrency) {
      await Promise.race([sleep(idleMs, signal), ...running]);
    }
  }
  await Promise.allSettled(running);
}

async function leaseSafely(options: SchedulerOptions, limit: number): Promise<{ id: string }[]> {
  try {
    return await leaseDueTargets(options.db, { workerId: options.workerId, limit, leaseMs: leaseMsFromEnv() });
  } catch (error) {
    console.error(`rampart worker: could not lease targets: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

/** Leases due targets (FOR UPDATE SKIP LOCKED in the service), polls them, releases them with their next time. */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const done = loop(options, signal);
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
