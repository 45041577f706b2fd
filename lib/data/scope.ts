import { Prisma } from "@/lib/db";
import { WORKLOAD_TEAM_SQL } from "@/lib/domain/team";
import { isWholeFleet, type Access, type AccessScope } from "@/lib/scope/access-scope";
import { isUnscoped, type FleetFilter } from "@/lib/scope/fleet-scope";

/**
 * A view's filter (from its URL) and the caller's access (from its session or token). Every read model takes one:
 * the access is applied in `scopeSql` beside the filter, so a filter can only narrow what the caller may see.
 */
export type ScopedFilter = FleetFilter & { access: Access };

/** No filter and the whole fleet: a read model may take its unscoped shortcut. */
export function isFleetWide(scope: ScopedFilter): boolean {
  return isUnscoped(scope) && isWholeFleet(scope.access);
}

/** The SQL expressions that hold a row's target id, namespace and team. */
export interface ScopeColumns {
  target: string;
  namespace: string;
  team: string;
}

/** A workload aliased `w`: its team is its own label, else its namespace's (as the rollups count). */
export const WORKLOAD_COLUMNS: ScopeColumns = { target: `w."targetId"`, namespace: `w."namespace"`, team: WORKLOAD_TEAM_SQL };

/** RunRollup, RollupLatest or WorkloadSummary rows (aliased, or not): each holds its target id, namespace and team. */
export function rollupColumns(alias?: string): ScopeColumns {
  const at = alias ? `${alias}.` : "";
  return { target: `${at}"targetId"`, namespace: `${at}"namespace"`, team: `${at}"team"` };
}

function limitSql(limit: AccessScope, columns: ScopeColumns): Prisma.Sql {
  const target = Prisma.raw(columns.target);
  const parts: Prisma.Sql[] = [];
  if (limit.targets.length > 0)
    parts.push(Prisma.sql`${target} IN (${Prisma.join(limit.targets.map((id) => Prisma.sql`${id}::uuid`))})`);
  for (const { targetId, namespace } of limit.namespaces)
    parts.push(Prisma.sql`(${target} = ${targetId}::uuid AND ${Prisma.raw(columns.namespace)} = ${namespace})`);
  if (limit.teams.length > 0) parts.push(Prisma.sql`${Prisma.raw(columns.team)} IN (${Prisma.join(limit.teams)})`);
  return parts.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}

/** The caller's access as conditions on rows with `columns`; starts with AND, or is empty for the whole fleet. */
export function accessSql(access: Access, columns: ScopeColumns = WORKLOAD_COLUMNS): Prisma.Sql {
  if (isWholeFleet(access)) return Prisma.empty;
  return Prisma.sql`AND ${Prisma.join(
    access.limits.map((limit) => limitSql(limit, columns)),
    " AND ",
  )}`;
}

/**
 * The one place where a view's filter meets the caller's access: SQL conditions on rows with `columns` (a workload
 * aliased `w` by default); always starts with AND or is empty.
 */
export function scopeSql(scope: ScopedFilter, columns: ScopeColumns = WORKLOAD_COLUMNS): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const target = Prisma.raw(columns.target);
  if (scope.target)
    parts.push(Prisma.sql`AND ${target} = (SELECT s."id" FROM "Target" s WHERE s."name" = ${scope.target})`);
  if (scope.namespace !== undefined) parts.push(Prisma.sql`AND ${Prisma.raw(columns.namespace)} = ${scope.namespace}`);
  if (scope.team) parts.push(Prisma.sql`AND ${Prisma.raw(columns.team)} = ${scope.team}`);
  parts.push(accessSql(scope.access, columns));
  return Prisma.join(parts, " ");
}

/**
 * Targets (aliased `t`) the caller may see: one with a workload inside its access, or one its scope names (a
 * target not polled yet has no workloads). Starts with AND, or is empty for the whole fleet.
 */
export function targetAccessSql(access: Access): Prisma.Sql {
  if (isWholeFleet(access)) return Prisma.empty;
  const named = access.limits.map((limit) => {
    const ids = [...limit.targets, ...limit.namespaces.map((n) => n.targetId)];
    return ids.length === 0
      ? Prisma.sql`FALSE`
      : Prisma.sql`t."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
  });
  return Prisma.sql`AND (EXISTS (SELECT 1 FROM "Workload" w WHERE w."targetId" = t."id" ${accessSql(access)})
    OR (${Prisma.join(named, " AND ")}))`;
}

/** The target/namespace entries of a limit that hold an exception (aliased `x`) by its own fields. */
function exceptionFieldsSql(limit: AccessScope): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (limit.targets.length > 0)
    parts.push(Prisma.sql`x."targetId" IN (${Prisma.join(limit.targets.map((id) => Prisma.sql`${id}::uuid`))})`);
  for (const { targetId, namespace } of limit.namespaces)
    parts.push(Prisma.sql`(x."targetId" = ${targetId}::uuid AND x."namespace" = ${namespace})`);
  return parts.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}

/**
 * Exceptions (aliased `x`) that bear on a scope: one matching a workload of the scope (current or gone), or, with
 * no view filter, one whose own target (and namespace) lies inside the caller's access, though nothing runs there
 * yet. Starts with AND, or is empty for the whole fleet.
 */
export function exceptionScopeSql(scope: ScopedFilter): Prisma.Sql {
  if (isFleetWide(scope)) return Prisma.empty;
  const reaches = Prisma.sql`EXISTS (SELECT 1 FROM "Workload" w
    WHERE (x."targetId" IS NULL OR w."targetId" = x."targetId") AND (x."namespace" IS NULL OR w."namespace" = x."namespace")
      AND (x."workload" IS NULL OR w."name" = x."workload" OR w."kind" || '/' || w."name" = x."workload") ${scopeSql(scope)})`;
  if (!isUnscoped(scope) || isWholeFleet(scope.access)) return Prisma.sql`AND ${reaches}`;
  const inside = Prisma.join(scope.access.limits.map(exceptionFieldsSql), " AND ");
  return Prisma.sql`AND (${reaches} OR (${inside}))`;
}
