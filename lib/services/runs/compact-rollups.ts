import { Prisma, type Db } from "@/lib/db";

const DAY_MS = 86_400_000;

/**
 * Past `keepDays`, keeps only the rollups of each target's last run of a (UTC) day: trends stay one point per
 * day while recent history keeps every run. Returns the number of rollup rows deleted.
 */
export async function compactRollups(db: Db, input: { now?: Date; keepDays?: number } = {}): Promise<number> {
  const cutoff = new Date((input.now ?? new Date()).getTime() - (input.keepDays ?? 30) * DAY_MS).toISOString();
  return db.$executeRaw(Prisma.sql`
    WITH last_of_day AS (
      SELECT DISTINCT ON ("targetId", date_trunc('day', "at")) "runId"
      FROM "RunRollup" WHERE "at" < ${cutoff}::timestamp(3)
      ORDER BY "targetId", date_trunc('day', "at"), "at" DESC
    )
    DELETE FROM "RunRollup"
    WHERE "at" < ${cutoff}::timestamp(3) AND "runId" NOT IN (SELECT "runId" FROM last_of_day)`);
}
