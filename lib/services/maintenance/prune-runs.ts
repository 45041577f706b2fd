import { Prisma, type Db } from "@/lib/db";

/**
 * Deletes finished runs older than the cutoff: a run row per poll would otherwise grow without bound (a target
 * polled every 5 minutes makes 105,000 a year). Rollups are read by time and outlive their run; each target's
 * last successful run stays, since last-seen comes from it.
 */
export async function pruneRuns(db: Db, input: { cutoff: Date }): Promise<number> {
  return db.$executeRaw(Prisma.sql`
    DELETE FROM "CollectionRun" r
    WHERE r."startedAt" < ${input.cutoff.toISOString()}::timestamp(3) AND r."status" <> 'running'
      AND r."id" <> coalesce((
        SELECT l."id" FROM "CollectionRun" l WHERE l."targetId" = r."targetId" AND l."status" = 'succeeded'
        ORDER BY l."startedAt" DESC LIMIT 1), '00000000-0000-0000-0000-000000000000'::uuid)`);
}
