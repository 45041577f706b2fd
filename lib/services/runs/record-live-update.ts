import type { Db } from "@/lib/db";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { ExceptionRule } from "@/lib/evaluate";
import type { RecordRunResult } from "./record-run";
import { RunRecorder } from "./run-recorder";
import { describeRunError } from "./run-error";
import { startRun } from "./start-run";
import { storableText } from "./storable-text";

/** Status of a run that stored workloads re-judged from an event stream between polls. */
export const LIVE_RUN_STATUS = "live";

/**
 * Judges and stores workloads read again after an event as a poll does (facts hashes, only what changed), through
 * the partial-run path, which never marks anything gone: the next poll finds their hashes current and skips them.
 * The run then takes its own status, so a target's last poll, its staleness and its run history stay about polls.
 */
export async function recordLiveUpdate(
  db: Db,
  input: {
    targetId: string;
    workloads: WorkloadInput[];
    exceptions: readonly ExceptionRule[];
    warnings?: string[];
    now?: Date;
  },
): Promise<RecordRunResult & { runId: string; judged: number }> {
  const { targetId, exceptions } = input;
  const now = input.now ?? new Date();
  const { runId } = await startRun(db, { targetId, now });
  try {
    const recorder = new RunRecorder(db, { runId, targetId, now });
    const { judged } = await recorder.judgeAndWrite(input.workloads, { verdict: { exceptions, now, targetId } });
    const stored = await recorder.finish({ complete: false, ...(input.warnings ? { warnings: input.warnings } : {}) });
    await db.collectionRun.updateMany({ where: { id: runId }, data: { status: LIVE_RUN_STATUS } });
    return { ...stored, runId, judged };
  } catch (error) {
    const message = describeRunError(error, { runId, targetId });
    await db.collectionRun.updateMany({
      where: { id: runId },
      data: { status: LIVE_RUN_STATUS, finishedAt: now, error: storableText(message).slice(0, 2000) },
    });
    throw error;
  }
}
