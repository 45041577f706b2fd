import type { WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload, type ExceptionRule } from "@/lib/evaluate";
import type { ScanReport } from "@/lib/reports";
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

interface RunBounds {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** When the run began (`Date.now()`): its parts share one time budget. */
  startedAt?: number;
}

/**
 * Items of `read` under the run's bounds: cancelled with the caller's signal, abandoned once the run's time is up
 * (the time spent by the consumer counts too), with an error that says which.
 */
async function* bounded<T>(
  target: TargetConnection,
  options: RunBounds,
  read: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const left = timeoutMs - (options.startedAt === undefined ? 0 : Date.now() - options.startedAt);
  // Our own controller and timer, both dropped when the run ends: an AbortSignal.timeout() lives on for its
  // whole period and keeps whatever the collector's abort listeners hold (a host's snapshot) reachable.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    },
    Math.max(0, left),
  );
  const cancel = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    yield* read(controller.signal);
  } catch (error) {
    if (timedOut)
      throw new Error(`polling ${target.url} took longer than ${timeoutMessage(timeoutMs)}; the run was abandoned`);
    if (options.signal?.aborted) throw new Error(`polling ${target.url} was cancelled`);
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancel);
  }
}

/**
 * The target's workloads in batches of about `batchContainers` containers, as the collector streams them; no
 * database. Throws when the run fails, is cancelled or times out.
 */
export async function* listWorkloadBatches(
  target: TargetConnection,
  report: CollectionReport,
  options: RunBounds & { batchContainers?: number; known?: KnownListing } = {},
): AsyncGenerator<WorkloadInput[]> {
  const size = options.batchContainers ?? BATCH_CONTAINERS;
  const collector = getCollector(target.platform);
  let batch: WorkloadInput[] = [];
  let containers = 0;
  const workloads = bounded(target, options, (signal) =>
    collector.listWorkloads(target, report, signal, options.known),
  );
  for await (const workload of workloads) {
    batch.push(workload);
    containers += workload.containers.length + (workload.keptContainers?.length ?? 0);
    if (containers < size) continue;
    yield batch;
    batch = [];
    containers = 0;
  }
  if (batch.length > 0) yield batch;
}

/** The scanner reports the target itself holds, page by page (none for platforms without any); no database. */
export async function* listReportPages(
  target: TargetConnection,
  report: CollectionReport,
  options: RunBounds = {},
): AsyncGenerator<ScanReport[]> {
  const collector = getCollector(target.platform);
  const { listReports } = collector;
  if (!listReports) return;
  yield* bounded(target, options, (signal) => listReports.call(collector, target, report, signal));
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
