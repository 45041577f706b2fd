import { Prisma, type Db } from "@/lib/db";

/**
 * Deletes runs older than `keepDays` whose rollups compaction removed: a run row per poll would otherwise grow
 * without bound (a target polled every 5 minutes makes 105,000 a year). Runs still holding rollups stay.
 */
export async function pruneRuns(db: Db, input: { cutoff: Date }): Promise<number> {
  return db.$executeRaw(Prisma.sql`
    DELETE FROM "CollectionRun" r
    WHERE r."startedAt" < ${input.cutoff.toISOString()}::timestamp(3) AND r."status" <> 'running'
      AND NOT EXISTS (SELECT 1 FROM "RunRollup" u WHERE u."runId" = r."id")`);
}
