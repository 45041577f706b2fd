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

type KeyedCount = DailyCheckCount & { key: string };

/**
 * The same daily counts, kept apart per value of `by` (key '' for "none"). Complete days (before `now`'s) are
 * computed once per filter and kept in RollupDayCache (a trigger on RunRollup drops the days a late, changed or
 * deleted row touches); today comes from RollupLatest, so a warm read touches no history row.
 */
export async function listDailyRollupsBy(
  by: RollupKey | "none",
  filter: RollupFilter,
  days: readonly string[],
  now: Date,
): Promise<KeyedCount[]> {
  if (days.length === 0) return [];
  const plan = cachePlan(filter, days, now);
  if (plan.cacheable) {
    const [cached, current] = await Promise.all([readCachedDays(plan.key, by, plan.past), plan.current(by)]);
    if (cached && current) return sortCounts([...cached, ...current.map((row) => ({ ...row, day: plan.today }))]);
  }
  const rows = await computeDailyRollupsBy(by, filter, days, now);
  if (plan.past.length > 0) await cacheDays(plan.key, by, plan.past, rows);
  return rows;
}

/**
 * The first of `days` with counts, per value of `by` and check: the first row of each in `listDailyRollupsBy`, read
 * from the cached days without the rest of them (the matrix's change needs no line).
 */
export async function listFirstDailyRollupsBy(
  by: RollupKey | "none",
  filter: RollupFilter,
  days: readonly string[],
  now: Date,
): Promise<KeyedCount[]> {
  if (days.length === 0) return [];
  const plan = cachePlan(filter, days, now);
  if (plan.cacheable) {
    const [cached, current] = await Promise.all([readCachedFirstDays(plan.key, by, plan.past), plan.current(by)]);
    if (cached && current) {
      const seen = new Set(cached.map((row) => `${row.key}\u0000${row.checkId}`));
      const later = current.filter((row) => !seen.has(`${row.key}\u0000${row.checkId}`));
      return sortCounts([...cached, ...later.map((row) => ({ ...row, day: plan.today }))]);
    }
  }
  const first = new Map<string, KeyedCount>();
  for (const row of await listDailyRollupsBy(by, filter, days, now)) {
    const series = `${row.key}\u0000${row.checkId}`;
    if (!first.has(series)) first.set(series, row);
  }
  return sortCounts([...first.values()]);
}

/**
 * Which of `days` are complete (before `now`'s day, or all of them at or after a past day's end) and so cached, under
 * which key, and how to read `now`'s day (from RollupLatest).
 */
function cachePlan(filter: RollupFilter, days: readonly string[], now: Date) {
  const today = now.toISOString().slice(0, 10);
  // A past `now` at or after the end of every day asked (a past report's day): those days are complete, so cached too.
  const last = days[days.length - 1] ?? today;
  const atPastDayEnd = today < new Date().toISOString().slice(0, 10) && now.getTime() >= Date.parse(`${last}T23:59:59.999Z`);
  // Everything that narrows the rows, the caller's access included: a scoped user never reads a wider cache.
  const key = JSON.stringify([
    filter.target ?? null,
    filter.namespace ?? null,
    filter.team ?? null,
    filter.checkId ?? null,
    filter.platform ?? null,
    filter.access.limits,
  ]);
  return {
    today,
    key,
    past: atPastDayEnd ? [...days] : days.filter((day) => day < today),
    cacheable: days.every((day) => day <= today),
    current: (by: RollupKey | "none") =>
      days.includes(today) && !atPastDayEnd ? listLatestBy(by, filter, now) : Promise.resolve([]),
  };
}

/**
 * Whether every one of these days is cached: its marker row (no key, no check) is there, even when it had no counts.
 * Read from the series index (the markers are one series), not by scanning the days' rows.
 */
async function allMarked(cacheKey: string, by: string, first: string, last: string, days: number): Promise<boolean> {
  const rows = await getDb().$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM "RollupDayCache"
    WHERE "filter" = ${cacheKey} AND "by" = ${by} AND "key" = '' AND "checkId" = '' AND "day" >= ${first} AND "day" <= ${last}`;
  return Number(rows[0]?.n ?? 0) === days;
}

/** The first cached row of each key and check over these days, or null unless every one of them is cached. */
async function readCachedFirstDays(cacheKey: string, by: string, days: readonly string[]): Promise<KeyedCount[] | null> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const [marked, rows] = await Promise.all([
    allMarked(cacheKey, by, first, last, days.length),
    getDb().$queryRaw<KeyedCount[]>`
      SELECT DISTINCT ON ("key", "checkId") "day", "key", "checkId", "passed", "failed" FROM "RollupDayCache"
      WHERE "filter" = ${cacheKey} AND "by" = ${by} AND "day" >= ${first} AND "day" <= ${last} AND "checkId" <> ''
      ORDER BY "key", "checkId", "day"`,
  ]);
  return marked ? rows : null;
}

/** The cached rows of these days, or null unless every one of them is cached. */
async function readCachedDays(cacheKey: string, by: string, days: readonly string[]): Promise<KeyedCount[] | null> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows = await getDb().$queryRaw<KeyedCount[]>`
    SELECT "day", "key", "checkId", "passed", "failed" FROM "RollupDayCache"
    WHERE "filter" = ${cacheKey} AND "by" = ${by} AND "day" >= ${first} AND "day" <= ${last}`;
  // A day is cached when its marker row (no check) is there, even when it had no counts.
  const marked = new Set(rows.filter((row) => row.checkId === "").map((row) => row.day));
  return days.every((day) => marked.has(day)) ? rows.filter((row) => row.checkId !== "") : null;
}

async function cacheDays(cacheKey: string, by: string, days: readonly string[], rows: readonly KeyedCount[]): Promise<void> {
  const complete = new Set(days);
  const kept = [
    ...rows.filter((row) => complete.has(row.day)),
    ...days.map((day) => ({ day, key: "", checkId: "", passed: 0, failed: 0 })),
  ];
  await getDb().$executeRaw`
    INSERT INTO "RollupDayCache" ("filter", "by", "day", "key", "checkId", "passed", "failed")
    SELECT ${cacheKey}, ${by}, * FROM unnest(${kept.map((r) => r.day)}::text[], ${kept.map((r) => r.key)}::text[],
      ${kept.map((r) => r.checkId)}::text[], ${kept.map((r) => r.passed)}::int[], ${kept.map((r) => r.failed)}::int[])
    ON CONFLICT DO NOTHING`;
}

/** Counts now per `by` and check from RollupLatest; null when it holds a row newer than `now` (a past `now`). */
async function listLatestBy(by: RollupKey | "none", filter: RollupFilter, now: Date): Promise<Omit<KeyedCount, "day">[] | null> {
  const rows = await getDb().$queryRaw<{ key: string; checkId: string; passed: bigint; failed: bigint; newer: boolean }[]>`
    SELECT ${KEY_SQL[by]} AS key, "checkId", sum("passed")::bigint AS passed, sum("failed")::bigint AS failed,
      bool_or("at" > ${now}) AS newer
    FROM "RollupLatest" WHERE TRUE ${filterSql(filter)}
    GROUP BY 1, 2`;
  if (rows.some((row) => row.newer)) return null;
  return rows
    .map(({ key, checkId, passed, failed }) => ({ key, checkId, passed: Number(passed), failed: Number(failed) }))
    .filter((row) => row.passed + row.failed > 0);
}

function sortCounts(rows: KeyedCount[]): KeyedCount[] {
  return rows.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key) || a.checkId.localeCompare(b.checkId));
}

/**
 * From the history itself: each row's change over the one before it of its key (telescoping sums), in one pass over
 * the rows, carried forward day by day.
 */
async function computeDailyRollupsBy(
  by: RollupKey | "none",
  filter: RollupFilter,
  days: readonly string[],
  now: Date,
): Promise<KeyedCount[]> {
  const start = new Date(`${days[0]}T00:00:00Z`);
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
  const out: KeyedCount[] = [];
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
  return sortCounts(out);
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
