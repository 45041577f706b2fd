import "server-only";
import { getDb, Prisma } from "@/lib/db";
import { rollupColumns, scopeSql, type ScopedFilter } from "./scope";

export type RollupFilter = ScopedFilter & {
  checkId?: string;
  /** Targets of one kind only (a framework's). */
  platform?: "docker" | "kubernetes";
};

/** Passed and failed containers of one check at the end of one UTC day. */
export interface DailyCheckCount {
  day: string;
  checkId: string;
  passed: number;
  failed: number;
}

function filterSql(filter: RollupFilter): Prisma.Sql {
  const check = filter.checkId ? Prisma.sql`AND "checkId" = ${filter.checkId}` : Prisma.empty;
  const platform = filter.platform
    ? Prisma.sql`AND "targetId" IN (SELECT p."id" FROM "Target" p WHERE p."platform" = ${filter.platform})`
    : Prisma.empty;
  return Prisma.sql`${scopeSql(filter, rollupColumns())} ${check} ${platform}`;
}

/** A column rollups can be split by: the target (its id), the namespace or the team. */
export type RollupKey = "targetId" | "namespace" | "team";

const KEY_SQL: Record<RollupKey | "none", Prisma.Sql> = {
  targetId: Prisma.sql`"targetId"::text`,
  namespace: Prisma.sql`"namespace"`,
  team: Prisma.sql`"team"`,
  none: Prisma.sql`''`,
};

/**
 * Counts per day and check, each (target, namespace, team, check) carrying its latest row forward: rollups are written
 * only when a count changes, so a day's value is the last row at or before its end. Computed from each row's
 * change over the one before it (telescoping sums), in one pass over the rows.
 */
export async function listDailyRollups(filter: RollupFilter, days: readonly string[], now: Date): Promise<DailyCheckCount[]> {
  const rows = await listDailyRollupsBy("none", filter, days, now);
  return rows.map(({ key: _key, ...count }) => count);
}

/** The same daily counts, kept apart per value of `by` (key '' for "none"). */
export async function listDailyRollupsBy(
  by: RollupKey | "none",
  filter: RollupFilter,
  days: readonly string[],
  now: Date,
): Promise<(DailyCheckCount & { key: string })[]> {
  const first = days[0];
  if (first === undefined) return [];
  const start = new Date(`${first}T00:00:00Z`);
  const rows = await getDb().$queryRaw<{ day: string; key: string; checkId: string; passed: bigint; failed: bigint }[]>`
    WITH deltas AS (
      SELECT ${KEY_SQL[by]} AS key, "checkId", "at",
        "passed" - coalesce(lag("passed") OVER w, 0) AS dp,
        "failed" - coalesce(lag("failed") OVER w, 0) AS df
      FROM "RunRollup" WHERE "at" <= ${now} ${filterSql(filter)}
      WINDOW w AS (PARTITION BY "targetId", "namespace", "team", "checkId" ORDER BY "at")
    )
    SELECT to_char(date_trunc('day', greatest("at", ${start})), 'YYYY-MM-DD') AS day, key, "checkId",
      sum(dp)::bigint AS passed, sum(df)::bigint AS failed
    FROM deltas GROUP BY 1, 2, 3`;
  const deltas = new Map<string, Map<string, { passed: number; failed: number }>>();
  for (const row of rows) {
    const series = `${row.key}\u0000${row.checkId}`;
    const byDay = deltas.get(series) ?? new Map<string, { passed: number; failed: number }>();
    byDay.set(row.day, { passed: Number(row.passed), failed: Number(row.failed) });
    deltas.set(series, byDay);
  }
  const out: (DailyCheckCount & { key: string })[] = [];
  for (const [series, byDay] of deltas) {
    const [key = "", checkId = ""] = series.split("\u0000");
    let passed = 0;
    let failed = 0;
    for (const day of days) {
      const delta = byDay.get(day);
      passed += delta?.passed ?? 0;
      failed += delta?.failed ?? 0;
      if (passed + failed > 0) out.push({ day, key, checkId, passed, failed });
    }
  }
  return out.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key) || a.checkId.localeCompare(b.checkId));
}

/** Current counts per check: the latest rollup of each (target, namespace, team, check), kept on write. */
export async function listCurrentRollups(filter: RollupFilter): Promise<{ checkId: string; passed: bigint; failed: bigint }[]> {
  return getDb().$queryRaw<{ checkId: string; passed: bigint; failed: bigint }[]>`
    SELECT "checkId", sum("passed")::bigint AS passed, sum("failed")::bigint AS failed
    FROM "RollupLatest" WHERE TRUE ${filterSql(filter)}
    GROUP BY 1`;
}

/** Current counts per check and kind of target (Docker hosts, Kubernetes clusters). */
export async function listCurrentRollupsByPlatform(
  filter: RollupFilter,
): Promise<{ platform: string; checkId: string; passed: bigint; failed: bigint }[]> {
  return getDb().$queryRaw<{ platform: string; checkId: string; passed: bigint; failed: bigint }[]>`
    SELECT tp."platform", "checkId", sum("passed")::bigint AS passed, sum("failed")::bigint AS failed
    FROM "RollupLatest" JOIN "Target" tp ON tp."id" = "targetId" WHERE TRUE ${filterSql(filter)}
    GROUP BY 1, 2`;
}
