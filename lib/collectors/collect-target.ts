import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload, type ExceptionRule } from "@/lib/evaluate";
import { getCollector } from "./registry";
import type { CollectionReport, TargetConnection } from "./types";

/** A run that takes longer than this is abandoned and recorded as failed. */
export const RUN_TIMEOUT_MS = 120_000;

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

/** Polls one target and evaluates what it sees; no database. Throws when the run fails or times out. */
export async function collectTarget(
  target: TargetConnection,
  options: CollectTargetOptions = {},
): Promise<CollectedTarget> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const report: CollectionReport = { warnings: [], complete: true };
  const evaluations: WorkloadEvaluation[] = [];
  const evaluateOptions = {
    exceptions: options.exceptions ?? [],
    now: options.now ?? new Date(),
    targetId: options.targetId,
  };
  try {
    for await (const workload of getCollector(target.platform).listWorkloads(target, report, signal)) {
      evaluations.push(evaluateWorkload(workload, evaluateOptions));
    }
  } catch (error) {
    if (timeout.aborted)
      throw new Error(`polling ${target.url} took longer than ${timeoutMessage(timeoutMs)}; the run was abandoned`);
    if (options.signal?.aborted) throw new Error(`polling ${target.url} was cancelled`);
    throw error;
  }
  return { evaluations, report };
}
