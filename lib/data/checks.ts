import "server-only";
import { CHECK_CATALOG, type CheckMeta } from "@/lib/checks/catalog";
import { evaluateFacts } from "@/lib/checks/define-check";
import { CHECKS } from "@/lib/checks/registry";
import { PLATFORMS, type Platform } from "@/lib/domain/facts";
import { renderRemediation } from "@/lib/remediation";
import { getDb, Prisma } from "@/lib/db";
import { isFleetWide, scopeSql, type ScopedFilter } from "./scope";
import { listCurrentRollups } from "./rollup-history";

export interface CheckCompliance {
  checkId: string;
  title: string;
  severity: CheckMeta["severity"];
  seed: boolean;
  /** Current containers passing; excepted failures count in neither number. */
  passed: number;
  failed: number;
  /** 0..100, or null when no container was judged. */
  compliance: number | null;
}

interface CountRow {
  checkId: string;
  passed: bigint;
  failed: bigint;
}

/**
 * From the results' homes of current containers (the only source that knows workload and namespace labels):
 * passes from the container's result set, failures from open findings of checks the container was judged on.
 */
function countFromResults(filter: ScopedFilter): Promise<CountRow[]> {
  return getDb().$queryRaw<CountRow[]>`
    WITH c AS (
      SELECT c."id", coalesce(r."passed", '[]') AS passed, coalesce(r."notJudged", '[]') AS "notJudged"
      FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId" LEFT JOIN "ResultSet" r ON r."id" = c."resultSetId"
      WHERE c."goneAt" IS NULL AND w."goneAt" IS NULL ${scopeSql(filter)}
    )
    SELECT "checkId", sum(passed)::bigint AS passed, sum(failed)::bigint AS failed FROM (
      SELECT p AS "checkId", 1 AS passed, 0 AS failed FROM c CROSS JOIN LATERAL jsonb_array_elements_text(c."passed") p
      UNION ALL
      SELECT f."checkId", 0, 1 FROM c JOIN "Finding" f ON f."containerId" = c."id" AND f."status" = 'open'
      WHERE NOT c."notJudged" @> jsonb_build_array(jsonb_build_object('id', f."checkId")) AND NOT c."passed" @> jsonb_build_array(f."checkId")
    ) u
    GROUP BY 1`;
}

/** From the latest rollup row of each target, namespace and check: a few hundred rows, not every container. */
function countFromRollups(filter: ScopedFilter): Promise<CountRow[]> {
  const { target, namespace, team, access } = filter;
  return listCurrentRollups({
    access,
    ...(target ? { target } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(team ? { team } : {}),
  });
}

/**
 * Compliance of every catalog check over current containers (CHECKS.md: passing ÷ passed-or-failed). Without a
 * team filter it comes from the latest rollups, which hold exactly those counts; with one, from the stored
 * results, which know the team at once (rollups learn a relabelled workload's team at its target's next run).
 */
export async function listCheckCompliance(filter: ScopedFilter): Promise<CheckCompliance[]> {
  const rows = filter.team ? await countFromResults(filter) : await countFromRollups(filter);
  const byId = new Map(rows.map((row) => [row.checkId, row]));
  return CHECK_CATALOG.map((check) => {
    const row = byId.get(check.id);
    const passed = Number(row?.passed ?? 0);
    const failed = Number(row?.failed ?? 0);
    return {
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      seed: check.seed,
      passed,
      failed,
      compliance: passed + failed === 0 ? null : (100 * passed) / (passed + failed),
    };
  });
}

export interface FailingWorkload {
  workloadId: string;
  targetName: string;
  namespace: string;
  kind: string;
  name: string;
  /** Containers of the workload with an open finding of the check. */
  containers: number;
  message: string;
}

/**
 * Current workloads within the scope with an open finding of the check, most containers first: counted per workload
 * and check at write time (WorkloadCheckOpen), named and given a message only for the listed ones.
 */
export async function listFailingWorkloads(checkId: string, scope: ScopedFilter, limit = 50): Promise<FailingWorkload[]> {
  // The whole fleet: only the workloads tied with the limit-th count are named and sorted, not every failing one.
  const ties = isFleetWide(scope) ? Prisma.sql`ORDER BY o."open" DESC FETCH FIRST (${limit}) ROWS WITH TIES` : Prisma.empty;
  const rows = await getDb().$queryRaw<(Omit<FailingWorkload, "containers"> & { containers: bigint })[]>`
    WITH failing AS (
      SELECT o."workloadId", o."open"::bigint AS containers
      FROM "WorkloadCheckOpen" o
      WHERE o."checkId" = ${checkId} AND o."current" AND o."open" > 0
      ${ties}
    ), listed AS (
      SELECT w."id" AS "workloadId", t."name" AS "targetName", w."namespace", w."kind", w."name", x.containers
      FROM failing x JOIN "Workload" w ON w."id" = x."workloadId" JOIN "Target" t ON t."id" = w."targetId"
      WHERE TRUE ${scopeSql(scope)}
      ORDER BY x.containers DESC, t."name", w."namespace", w."name"
      LIMIT ${limit}
    )
    SELECT l.*, (SELECT min(f."message") FROM "Container" c JOIN "Finding" f ON f."containerId" = c."id"
        WHERE c."workloadId" = l."workloadId" AND c."goneAt" IS NULL AND f."checkId" = ${checkId} AND f."status" = 'open') AS message
    FROM listed l ORDER BY l.containers DESC, l."targetName", l."namespace", l."name"`;
  return rows.map((row) => ({ ...row, containers: Number(row.containers) }));
}

/** Open findings of the check within the scope (all of them, beyond the listed workloads); whole fleet: index only. */
export async function countOpenFindings(checkId: string, scope: ScopedFilter): Promise<number> {
  const joins = isFleetWide(scope)
    ? Prisma.empty
    : Prisma.sql`JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"`;
  const rows = await getDb().$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM "Finding" f ${joins}
    WHERE f."checkId" = ${checkId} AND f."status" = 'open' ${scopeSql(scope)}`;
  return Number(rows[0]?.n ?? 0);
}

export interface RemediationExample {
  platform: Platform;
  /** The failing example's evidence. */
  message: string;
  summary: string;
  kubernetesPatch?: string;
  kubectl?: string;
  kubernetesManifest?: string;
  dockerRun?: { add: string[]; remove: string[] };
  compose?: string;
  dockerfile?: string[];
}

/** The check's fix rendered for its own failing examples (one per platform), as the workload pages render it. */
export function getRemediationExamples(checkId: string): RemediationExample[] {
  const check = CHECKS.find((c) => c.id === checkId);
  if (!check) return [];
  const out: RemediationExample[] = [];
  for (const platform of PLATFORMS) {
    const facts = check.platforms[platform]?.examples?.fail[0];
    const outcome = facts && evaluateFacts(check, facts);
    if (facts && outcome?.status === "fail")
      out.push({ platform, message: outcome.message, ...renderRemediation(check, facts) });
  }
  return out;
}
