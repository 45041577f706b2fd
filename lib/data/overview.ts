import "server-only";
import { getDb, Prisma } from "@/lib/db";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import type { Access } from "@/lib/scope/access-scope";
import { accessSql, isFleetWide, rollupColumns, scopeSql, targetAccessSql, type ScopedFilter } from "./scope";

export interface Overview {
  targets: number;
  containers: number;
  openBySeverity: Record<Severity, number>;
  /** Mean container score over current containers that have one; null when none has. */
  fleetScore: number | null;
}

function emptySeverities(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/**
 * From the totals per target × namespace × team (ScopeSummary, kept by triggers with the rows): containers and score
 * over current workloads' current containers; open findings over every workload in the scope, as violations counts.
 */
export async function getOverview(filter: ScopedFilter): Promise<Overview> {
  const db = getDb();
  const [targets, summary] = await Promise.all([
    db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM "Target" t
      WHERE TRUE ${filter.target ? Prisma.sql`AND t."name" = ${filter.target}` : Prisma.empty} ${targetAccessSql(filter.access)}`,
    db.$queryRaw<({ containers: bigint; score: number | null } & Record<Severity, bigint>)[]>`
      SELECT coalesce(sum(s."containers"), 0)::bigint AS containers, (sum(s."scoreSum") / nullif(sum(s."scored"), 0))::float8 AS score,
        coalesce(sum(s."openCritical"), 0)::bigint AS critical, coalesce(sum(s."openHigh"), 0)::bigint AS high,
        coalesce(sum(s."openMedium"), 0)::bigint AS medium, coalesce(sum(s."openLow"), 0)::bigint AS low
      FROM "ScopeSummary" s WHERE TRUE ${scopeSql(filter, rollupColumns("s"))}`,
  ]);
  const first = summary[0];
  const openBySeverity = emptySeverities();
  for (const severity of SEVERITIES) openBySeverity[severity] = Number(first?.[severity] ?? 0);
  return {
    targets: Number(targets[0]?.n ?? 0),
    containers: Number(first?.containers ?? 0),
    openBySeverity,
    fleetScore: first?.score ?? null,
  };
}

export interface PodSecurityRow {
  targetId: string;
  targetName: string;
  /** Current workloads with a Pod Security verdict. */
  workloads: number;
  baseline: number;
  restricted: number;
}

/** Per cluster: how many current workloads the baseline and restricted levels allow. */
export async function listPodSecurity(filter: ScopedFilter): Promise<PodSecurityRow[]> {
  const rows = await getDb().$queryRaw<
    { targetId: string; targetName: string; workloads: bigint; baseline: bigint; restricted: bigint }[]
  >`
    SELECT t."id" AS "targetId", t."name" AS "targetName", count(*)::bigint AS workloads,
      count(*) FILTER (WHERE (w."podSecurity"->'baseline'->>'allowed')::boolean)::bigint AS baseline,
      count(*) FILTER (WHERE (w."podSecurity"->'restricted'->>'allowed')::boolean)::bigint AS restricted
    FROM "Workload" w JOIN "Target" t ON t."id" = w."targetId"
    WHERE w."goneAt" IS NULL AND w."podSecurity" IS NOT NULL AND jsonb_typeof(w."podSecurity") = 'object' ${scopeSql(filter)}
    GROUP BY t."id", t."name" ORDER BY t."name"`;
  return rows.map((row) => ({
    targetId: row.targetId,
    targetName: row.targetName,
    workloads: Number(row.workloads),
    baseline: Number(row.baseline),
    restricted: Number(row.restricted),
  }));
}

export interface RiskyWorkload {
  id: string;
  targetName: string;
  namespace: string;
  kind: string;
  name: string;
  /** Mean score of its current containers. */
  score: number | null;
  openCritical: number;
  openHigh: number;
}

/** Current workloads with the most open critical findings, then the lowest score (WorkloadSummary's totals). */
export async function listRiskiestWorkloads(filter: ScopedFilter, limit = 8): Promise<RiskyWorkload[]> {
  const rows = await getDb().$queryRaw<
    (Omit<RiskyWorkload, "openCritical" | "openHigh"> & { openCritical: number; openHigh: number })[]
  >`
    SELECT w."id", t."name" AS "targetName", w."namespace", w."kind", w."name", s.score::float8 AS score,
      s."openCritical", s."openHigh"
    FROM (
      SELECT s."workloadId", s."scoreSum" / s."scored" AS score, s."openCritical", s."openHigh"
      FROM "WorkloadSummary" s
      WHERE s."current" AND s."scored" > 0 ${scopeSql(filter, rollupColumns("s"))}
      ORDER BY s."openCritical" DESC, score ASC
      FETCH FIRST (${limit}) ROWS WITH TIES
    ) s JOIN "Workload" w ON w."id" = s."workloadId" JOIN "Target" t ON t."id" = w."targetId"
    ORDER BY s."openCritical" DESC, s.score ASC, w."name" ASC
    LIMIT ${limit}`;
  return rows;
}

/**
 * Findings first seen in the window are counted one by one up to this many; past it (a new fleet's findings are nearly
 * all recent), as all findings (kept in ScopeSummary) less those first seen before or after the window.
 */
const FIRST_SEEN_CAP = 20_000;

export interface FindingActivity {
  /** Findings opened or reopened in the window. */
  opened: number;
  resolved: number;
  since: string;
}

/**
 * Findings opened (first seen, or reopened) and resolved from `since` (seven days before `now` unless given) to `now`,
 * within the filter. A new finding has no "opened" event: its firstSeenAt says it, unless it was excepted from its
 * first sight. `cap`: see FIRST_SEEN_CAP (a test lowers it to check both ways agree).
 */
export async function getFindingActivity(
  filter: ScopedFilter,
  now = new Date(),
  since = new Date(now.getTime() - 7 * 86_400_000),
  cap = FIRST_SEEN_CAP,
): Promise<FindingActivity> {
  const db = getDb();
  const scoped = !isFleetWide(filter);
  const scope = scoped ? scopeSql(filter) : Prisma.empty;
  const inScope = scoped
    ? Prisma.sql`JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"`
    : Prisma.empty;
  const eventsInScope = scoped ? Prisma.sql`JOIN "Finding" f ON f."id" = e."findingId" ${inScope}` : Prisma.empty;
  const firstSeen = (range: Prisma.Sql, limit: number | null) => Prisma.sql`
    (SELECT count(*) FROM (SELECT 1 FROM "Finding" f ${inScope} WHERE ${range} ${scope}
      ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}) x)::bigint`;
  const events = (kind: string) => Prisma.sql`
    (SELECT count(*) FROM "FindingEvent" e ${eventsInScope}
      WHERE e."kind" = ${kind} AND e."at" >= ${since} AND e."at" <= ${now} ${scope})::bigint`;
  const [counts] = await db.$queryRaw<{ inWindow: bigint; exceptedAtOnce: bigint; reopened: bigint; resolved: bigint }[]>`
    SELECT ${firstSeen(Prisma.sql`f."firstSeenAt" >= ${since} AND f."firstSeenAt" <= ${now}`, cap)} AS "inWindow",
      (SELECT count(DISTINCT e."findingId") FROM "FindingEvent" e ${scoped ? Prisma.empty : Prisma.sql`JOIN "Finding" f ON f."id" = e."findingId"`}
        ${eventsInScope}
        WHERE e."kind" = 'excepted' AND e."at" >= ${since} AND e."at" <= ${now} AND e."at" = f."firstSeenAt" ${scope})::bigint
        AS "exceptedAtOnce",
      ${events("reopened")} AS reopened, ${events("resolved")} AS resolved`;
  let inWindow = Number(counts?.inWindow ?? 0);
  if (inWindow >= cap) {
    // Most findings are recent (a new fleet): all of them (ScopeSummary) less those first seen outside the window.
    const [outside] = await db.$queryRaw<{ all: bigint; before: bigint; after: bigint }[]>`
      SELECT (SELECT coalesce(sum(s."findings"), 0) FROM "ScopeSummary" s WHERE TRUE ${scopeSql(filter, rollupColumns("s"))})::bigint AS all,
        ${firstSeen(Prisma.sql`f."firstSeenAt" < ${since}`, null)} AS before,
        ${firstSeen(Prisma.sql`f."firstSeenAt" > ${now}`, null)} AS after`;
    inWindow = Number(outside?.all ?? 0) - Number(outside?.before ?? 0) - Number(outside?.after ?? 0);
  }
  const opened = inWindow - Number(counts?.exceptedAtOnce ?? 0);
  return {
    opened: opened + Number(counts?.reopened ?? 0),
    resolved: Number(counts?.resolved ?? 0),
    since: since.toISOString(),
  };
}

export interface FilterOptions {
  targets: string[];
  namespaces: string[];
  teams: string[];
}

/** The values the overview's filters offer, from the current workloads the caller may see (ScopeSummary's keys). */
export async function getFilterOptions(access: Access): Promise<FilterOptions> {
  const db = getDb();
  const inAccess = accessSql(access, rollupColumns("s"));
  const [targets, namespaces, teams] = await Promise.all([
    db.$queryRaw<{ name: string }[]>`SELECT t."name" FROM "Target" t WHERE TRUE ${targetAccessSql(access)} ORDER BY 1`,
    db.$queryRaw<{ namespace: string }[]>`
      SELECT DISTINCT s."namespace" FROM "ScopeSummary" s WHERE s."workloads" > 0 AND s."namespace" <> '' ${inAccess} ORDER BY 1`,
    db.$queryRaw<{ team: string }[]>`
      SELECT DISTINCT s."team" FROM "ScopeSummary" s WHERE s."workloads" > 0 AND s."team" <> '' ${inAccess} ORDER BY 1`,
  ]);
  return { targets: targets.map((t) => t.name), namespaces: namespaces.map((r) => r.namespace), teams: teams.map((r) => r.team) };
}
