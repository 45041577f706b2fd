import "server-only";
import { getDb, Prisma } from "@/lib/db";

export interface TrendPoint {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  passed: number;
  failed: number;
}

interface TrendFilter {
  days: number;
  targetId?: string;
  checkId?: string;
}

/**
 * Pass/fail counts per day from the run rollups, taking each target's last run of the day so that a
 * target polled every five minutes counts once per day, like one polled daily.
 */
export async function listApiTrends(filter: TrendFilter, now = new Date()): Promise<TrendPoint[]> {
  const since = new Date(now.getTime() - filter.days * 86_400_000);
  const target = filter.targetId ? Prisma.sql`AND "targetId" = ${filter.targetId}::uuid` : Prisma.empty;
  const check = filter.checkId ? Prisma.sql`AND "checkId" = ${filter.checkId}` : Prisma.empty;
  const rows = await getDb().$queryRaw<{ day: string; passed: bigint; failed: bigint }[]>`
    WITH last_runs AS (
      SELECT DISTINCT ON ("targetId", date_trunc('day', "at")) "runId"
      FROM "RunRollup"
      WHERE "at" >= ${since} ${target}
      ORDER BY "targetId", date_trunc('day', "at"), "at" DESC
    )
    SELECT to_char(date_trunc('day', r."at"), 'YYYY-MM-DD') AS day,
           SUM(r."passed")::bigint AS passed, SUM(r."failed")::bigint AS failed
    FROM "RunRollup" r JOIN last_runs l ON l."runId" = r."runId"
    WHERE TRUE ${check}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ day: row.day, passed: Number(row.passed), failed: Number(row.failed) }));
}
