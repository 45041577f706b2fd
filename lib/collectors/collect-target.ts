import type { WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload, type ExceptionRule } from "@/lib/evaluate";
import { getCollector } from "./registry";
import type { CollectionReport, KnownListing, TargetConnection } from "./types";

/** A run that takes longer than this is abandoned and recorded as failed. */
export const RUN_TIMEOUT_MS = 120_000;

/** Containers per batch: what a worker holds of one target at a time between the collector and the store. */
export const BATCH_CONTAINERS = 500;

export interface CollectTargetOptions {
  signal?: AbortSignal;
  exceptions?: readonly ExceptionRule[];
  now?: Date;
  targetId?: string;
  timeoutMs?: number;
}

export interface CollectedTarget {
  evaluations: WorkloadEvaluation[];
  report: CollectionReport;
}

function timeoutMessage(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? "" : "s"}` : `${ms / 1000} s`;
}

/**
 * The target's workloads in batches of about `batchContainers` containers, as the collector streams them; no
 * database. Throws when the run fails, is cancelled or times out (the time spent by the consumer counts too).
 */
export async function* listWorkloadBatches(
  target: TargetConnection,
  report: CollectionReport,
  options: { signal?: AbortSignal; timeoutMs?: number; batchContainers?: number; known?: KnownListing } = {},
): AsyncGenerator<WorkloadInput[]> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const size = options.batchContainers ?? BATCH_CONTAINERS;
  // Our own controller and timer, both dropped when the run ends: an AbortSignal.timeout() lives on for its
  // whole period and keeps whatever the collector's abort listeners hold (a host's snapshot) reachable.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("timeout"));
  }, timeoutMs);
  const cancel = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  let batch: WorkloadInput[] = [];
  let containers = 0;
  try {
    const collector = getCollector(target.platform);
    for await (const workload of collector.listWorkloads(target, report, controller.signal, options.known)) {
      batch.push(workload);
      containers += workload.containers.length + (workload.keptContainers?.length ?? 0);
      if (containers < size) continue;
      yield batch;
      batch = [];
      containers = 0;
    }
  } catch (error) {
    if (timedOut)
      throw new Error(`polling ${target.url} took longer than ${timeoutMessage(timeoutMs)}; the run was abandoned`);
    if (options.signal?.aborted) throw new Error(`polling ${target.url} was cancelled`);
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancel);
  }
  if (batch.length > 0) yield batch;
}

/** Polls one target and evaluates everything it sees; no database. Throws when the run fails or times out. */
export async function collectTarget(
  target: TargetConnection,
  options: CollectTargetOptions = {},
): Promise<CollectedTarget> {
  const report: CollectionReport = { warnings: [], complete: true };
  const evaluations: WorkloadEvaluation[] = [];
  const evaluateOptions = {
    exceptions: options.exceptions ?? [],
    now: options.now ?? new Date(),
    targetId: options.targetId,
  };
  for await (const batch of listWorkloadBatches(target, report, options)) {
    for (const workload of batch) evaluations.push(evaluateWorkload(workload, evaluateOptions));
  }
  return { evaluations, report };
}
