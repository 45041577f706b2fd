import { getDb, Prisma } from "@/lib/db";
import { describeScope, type Access, type AccessScope } from "@/lib/scope/access-scope";
import { targetNames } from "@/lib/services/access/scope-input";
import { accessSql } from "./scope";

/** Where an exception applies: unset fields match anything (lib/evaluate/exceptions.ts). */
export interface ExceptionPlace {
  targetId: string | null;
  namespace: string | null;
  /** Workload name, or `Kind/name`. */
  workload: string | null;
}

/** The limit names the exception's target, or its target and namespace. */
function heldByFields(limit: AccessScope, place: ExceptionPlace): boolean {
  if (!place.targetId) return false;
  if (limit.targets.includes(place.targetId)) return true;
  return limit.namespaces.some((n) => n.targetId === place.targetId && n.namespace === place.namespace);
}

/**
 * An exception naming a workload on a target (a team's way in): held when that workload runs now and every
 * workload the name matches lies inside the limit.
 */
async function heldByWorkloads(limit: AccessScope, place: ExceptionPlace): Promise<boolean> {
  if (!place.targetId || !place.workload) return false;
  const namespace = place.namespace === null ? Prisma.empty : Prisma.sql`AND w."namespace" = ${place.namespace}`;
  const rows = await getDb().$queryRaw<{ total: bigint; inside: bigint }[]>`
    SELECT count(*)::bigint AS total, count(*) FILTER (WHERE TRUE ${accessSql({ limits: [limit] })})::bigint AS inside
    FROM "Workload" w
    WHERE w."targetId" = ${place.targetId}::uuid ${namespace} AND w."goneAt" IS NULL
      AND (w."name" = ${place.workload} OR w."kind" || '/' || w."name" = ${place.workload})`;
  const total = Number(rows[0]?.total ?? 0);
  return total > 0 && Number(rows[0]?.inside ?? 0) === total;
}

/**
 * Null when an exception at `place` lies inside the caller's access, so it may make, extend or revoke it; else
 * why not, naming what the caller may see. An exception wider than that would change other teams' findings.
 */
export async function exceptionOutsideAccess(access: Access, place: ExceptionPlace): Promise<string | null> {
  for (const limit of access.limits) {
    if (heldByFields(limit, place) || (await heldByWorkloads(limit, place))) continue;
    const sees = describeScope(limit, await targetNames(getDb()));
    return `the exception reaches beyond what you may see (${sees}): name a target, namespace or workload inside it`;
  }
  return null;
}

/** How many of these finding ids the caller may not see (unknown ids included). */
export async function countFindingsOutsideAccess(findingIds: string[], access: Access): Promise<number> {
  if (findingIds.length === 0) return 0;
  const unique = [...new Set(findingIds)];
  const rows = await getDb().$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n
    FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
    WHERE f."id" IN (${Prisma.join(unique.map((id) => Prisma.sql`${id}::uuid`))}) ${accessSql(access)}`;
  return unique.length - Number(rows[0]?.n ?? 0);
}
