import { Prisma, type Db } from "@/lib/db";

const DAY_MS = 86_400_000;

/**
 * Past `keepDays`, keeps only the last rollup row of each target, namespace, team and check per (UTC) day: rows are
 * written only on change and read "as of" a time, so each day's closing values stay exact while recent history
 * keeps every change. Returns the number of rollup rows deleted.
 */
export async function compactRollups(db: Db, input: { now?: Date; keepDays?: number } = {}): Promise<number> {
  const cutoff = new Date((input.now ?? new Date()).getTime() - (input.keepDays ?? 30) * DAY_MS).toISOString();
  return db.$executeRaw(Prisma.sql`
    DELETE FROM "RunRollup" r
    WHERE r."at" < ${cutoff}::timestamp(3) AND EXISTS (
      SELECT 1 FROM "RunRollup" n
      WHERE n."targetId" = r."targetId" AND n."namespace" = r."namespace" AND n."team" = r."team"
        AND n."checkId" = r."checkId"
        AND n."at" > r."at" AND n."at" < date_trunc('day', r."at") + interval '1 day')`);
}
