import "server-only";
import { getDb, Prisma } from "@/lib/db";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { WORKLOAD_TEAM_SQL } from "@/lib/domain/team";
import type { Access } from "@/lib/scope/access-scope";
import { accessSql, isFleetWide, scopeSql, targetAccessSql, type ScopedFilter } from "./scope";

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

function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export async function getOverview(filter: ScopedFilter): Promise<Overview> {
  const db = getDb();
  const scope = scopeSql(filter);
  const [targets, summary, findings] = await Promise.all([
    db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM "Target" t
      WHERE TRUE ${filter.target ? Prisma.sql`AND t."name" = ${filter.target}` : Prisma.empty} ${targetAccessSql(filter.access)}`,
    db.$queryRaw<{ containers: bigint; score: number | null }[]>`
      SELECT count(*)::bigint AS containers, avg(c."score") AS score
      FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId"
      WHERE c."goneAt" IS NULL ${scope}`,
    isFleetWide(filter)
      ? db.$queryRaw<{ severity: string; n: bigint }[]>`
          SELECT "severity", count(*)::bigint AS n FROM "Finding" WHERE "status" = 'open' GROUP BY 1`
      : db.$queryRaw<{ severity: string; n: bigint }[]>`
          SELECT f."severity", count(*)::bigint AS n
          FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
          WHERE f."status" = 'open' ${scope}
          GROUP BY 1`,
  ]);
  const openBySeverity = emptySeverities();
  for (const row of findings) if (isSeverity(row.severity)) openBySeverity[row.severity] += Number(row.n);
  const first = summary[0];
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

/** Current workloads with the most open critical findings, then the lowest score. */
export async function listRiskiestWorkloads(filter: ScopedFilter, limit = 8): Promise<RiskyWorkload[]> {
  const rows = await getDb().$queryRaw<
    (Omit<RiskyWorkload, "openCritical" | "openHigh"> & { openCritical: bigint; openHigh: bigint })[]
  >`
    WITH scores AS (
      SELECT w."id", avg(c."score") AS score
      FROM "Workload" w JOIN "Container" c ON c."workloadId" = w."id" AND c."goneAt" IS NULL
      WHERE w."goneAt" IS NULL ${scopeSql(filter)}
      GROUP BY w."id"
    ), open AS (
      SELECT c."workloadId" AS id,
        count(*) FILTER (WHERE f."severity" = 'critical')::bigint AS critical,
        count(*) FILTER (WHERE f."severity" = 'high')::bigint AS high
      FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId"
      WHERE f."status" = 'open' AND f."severity" IN ('critical', 'high')
      GROUP BY c."workloadId"
    )
    SELECT s."id", t."name" AS "targetName", w."namespace", w."kind", w."name", s."score",
      coalesce(o.critical, 0)::bigint AS "openCritical", coalesce(o.high, 0)::bigint AS "openHigh"
    FROM scores s JOIN "Workload" w ON w."id" = s."id" JOIN "Target" t ON t."id" = w."targetId"
    LEFT JOIN open o ON o.id = s."id"
    WHERE s."score" IS NOT NULL
    ORDER BY "openCritical" DESC, s."score" ASC, w."name" ASC
    LIMIT ${limit}`;
  return rows.map((row) => ({ ...row, openCritical: Number(row.openCritical), openHigh: Number(row.openHigh) }));
}

export interface FindingActivity {
  /** Findings opened or reopened in the window. */
  opened: number;
  resolved: number;
  since: string;
}

/**
 * Findings opened (first seen, or reopened) and resolved from `since` (seven days before `now` unless given) to `now`,
 * within the filter. A new finding has no "opened" event: its firstSeenAt says it, unless it was excepted from its
 * first sight.
 */
export async function getFindingActivity(
  filter: ScopedFilter,
  now = new Date(),
  since = new Date(now.getTime() - 7 * 86_400_000),
): Promise<FindingActivity> {
  const scoped = !isFleetWide(filter);
  const scope = scoped ? scopeSql(filter) : Prisma.empty;
  const inScope = scoped
    ? Prisma.sql`JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"`
    : Prisma.empty;
  const eventsInScope = scoped ? Prisma.sql`JOIN "Finding" f ON f."id" = e."findingId" ${inScope}` : Prisma.empty;
  const rows = await getDb().$queryRaw<{ opened: bigint; reopened: bigint; resolved: bigint }[]>`
    SELECT
      (SELECT count(*) FROM "Finding" f ${inScope}
        WHERE f."firstSeenAt" >= ${since} AND f."firstSeenAt" <= ${now} ${scope}
          AND NOT EXISTS (SELECT 1 FROM "FindingEvent" x
            WHERE x."findingId" = f."id" AND x."kind" = 'excepted' AND x."at" = f."firstSeenAt"))::bigint AS opened,
      (SELECT count(*) FILTER (WHERE e."kind" = 'reopened') FROM "FindingEvent" e ${eventsInScope}
        WHERE e."at" >= ${since} AND e."at" <= ${now} ${scope})::bigint AS reopened,
      (SELECT count(*) FILTER (WHERE e."kind" = 'resolved') FROM "FindingEvent" e ${eventsInScope}
        WHERE e."at" >= ${since} AND e."at" <= ${now} ${scope})::bigint AS resolved`;
  const first = rows[0];
  return {
    opened: Number(first?.opened ?? 0) + Number(first?.reopened ?? 0),
    resolved: Number(first?.resolved ?? 0),
    since: since.toISOString(),
  };
}

export interface FilterOptions {
  targets: string[];
  namespaces: string[];
  teams: string[];
}

/** The values the overview's filters offer, from the current workloads the caller may see. */
export async function getFilterOptions(access: Access): Promise<FilterOptions> {
  const db = getDb();
  const inAccess = accessSql(access);
  const [targets, namespaces, teams] = await Promise.all([
    db.$queryRaw<{ name: string }[]>`SELECT t."name" FROM "Target" t WHERE TRUE ${targetAccessSql(access)} ORDER BY 1`,
    db.$queryRaw<{ namespace: string }[]>`
      SELECT DISTINCT w."namespace" FROM "Workload" w WHERE w."goneAt" IS NULL AND w."namespace" <> '' ${inAccess} ORDER BY 1`,
    db.$queryRaw<{ team: string }[]>`
      SELECT DISTINCT team FROM (
        SELECT ${Prisma.raw(WORKLOAD_TEAM_SQL)} AS team FROM "Workload" w WHERE w."goneAt" IS NULL ${inAccess}
      ) t WHERE team <> '' ORDER BY 1`,
  ]);
  return { targets: targets.map((t) => t.name), namespaces: namespaces.map((r) => r.namespace), teams: teams.map((r) => r.team) };
}
