import type { Db } from "@/lib/db";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { recordRun, type RecordRunResult } from "./record-run";
import { describeRunError } from "./run-error";
import { startRun } from "./start-run";
import { storableText } from "./storable-text";

/** Status of a run that stored workloads re-judged from an event stream between polls. */
export const LIVE_RUN_STATUS = "live";

/**
 * Stores workloads re-judged after an event through the partial-run path, which never marks anything gone. The run
 * then takes its own status, so a target's last poll, its staleness and its run history stay about full polls.
 */
export async function recordLiveUpdate(
  db: Db,
  input: { targetId: string; evaluations: WorkloadEvaluation[]; warnings?: string[]; now?: Date },
): Promise<RecordRunResult & { runId: string }> {
  const now = input.now ?? new Date();
  const { runId } = await startRun(db, { targetId: input.targetId, now });
  try {
    const stored = await recordRun(db, { ...input, runId, complete: false, now });
    await db.collectionRun.updateMany({ where: { id: runId }, data: { status: LIVE_RUN_STATUS } });
    return { ...stored, runId };
  } catch (error) {
    const message = describeRunError(error, { runId, targetId: input.targetId });
    await db.collectionRun.updateMany({
      where: { id: runId },
      data: { status: LIVE_RUN_STATUS, finishedAt: now, error: storableText(message).slice(0, 2000) },
    });
    throw error;
  }
}
