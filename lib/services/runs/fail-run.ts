import { Prisma, type Db } from "@/lib/db";
import { storableText } from "./storable-text";

/** Waits before each further attempt: about 15 s in all, longer than a busy pool or a dropped connection lasts. */
const RETRY_DELAYS_MS = [250, 1000, 2000, 4000, 8000];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Ends a run as failed and counts it on its target (/metrics). Nothing is marked gone: only a complete, successful
 * run may do that. One statement, not an interactive transaction: it waits for a pool connection as long as the
 * pool makes it (a transaction gives up after its `maxWait`, which left the run "running" when the pool was busy
 * under load), and it is tried again with backoff. A run whose end could not be recorded even so is failed by the
 * next poll of its target (failInterruptedRuns).
 */
export async function failRun(
  db: Db,
  input: { runId: string; error: string; now?: Date },
  delaysMs: readonly number[] = RETRY_DELAYS_MS,
): Promise<void> {
  const error = storableText(input.error).slice(0, 2000);
  const finishedAt = (input.now ?? new Date()).toISOString();
  for (let attempt = 0; ; attempt++) {
    try {
      await db.$executeRaw(Prisma.sql`
        WITH run AS (
          UPDATE "CollectionRun" SET "status" = 'failed', "finishedAt" = ${finishedAt}::timestamp(3), "error" = ${error}
          WHERE "id" = ${input.runId}::uuid
          RETURNING "targetId"
        )
        UPDATE "Target" SET "runFailures" = "runFailures" + 1 WHERE "id" IN (SELECT "targetId" FROM run)`);
      return;
    } catch (failure) {
      const delay = delaysMs[attempt];
      if (delay === undefined) throw failure;
      await sleep(delay);
    }
  }
}

/** Kept on a run that was still "running" when its target was polled again long after. */
export const INTERRUPTED_RUN_MESSAGE =
  "This run never recorded its end (its worker stopped, or could not reach the database); a later poll marked it failed.";

/**
 * Fails the target's runs still "running" that started before `startedBefore` (older than any run may last), and
 * counts them on the target. The scheduler calls it under the target's lease before polling: no poll of another
 * worker is then live, and the age keeps event updates and one-off collects in flight untouched. Returns how many.
 */
export async function failInterruptedRuns(
  db: Db,
  input: { targetId: string; startedBefore: Date; now?: Date },
): Promise<number> {
  const [row] = await db.$queryRaw<{ failed: number }[]>(Prisma.sql`
    WITH runs AS (
      UPDATE "CollectionRun" SET "status" = 'failed', "finishedAt" = ${(input.now ?? new Date()).toISOString()}::timestamp(3),
        "error" = ${INTERRUPTED_RUN_MESSAGE}
      WHERE "targetId" = ${input.targetId}::uuid AND "status" = 'running'
        AND "startedAt" < ${input.startedBefore.toISOString()}::timestamp(3)
      RETURNING "id"
    ), counted AS (
      UPDATE "Target" SET "runFailures" = "runFailures" + (SELECT count(*) FROM runs)::int
      WHERE "id" = ${input.targetId}::uuid AND EXISTS (SELECT 1 FROM runs)
    )
    SELECT count(*)::int AS failed FROM runs`);
  return row?.failed ?? 0;
}
