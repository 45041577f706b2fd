import { Prisma } from "@/lib/db";
import { WORKLOAD_TEAM_SQL } from "@/lib/domain/team";
import type { FleetFilter } from "@/lib/scope/fleet-scope";

/** The team condition on a workload aliased `w`: its own label, else its namespace's (as the rollups count). */
export function teamSql(team: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(WORKLOAD_TEAM_SQL)} = ${team}`;
}

/** SQL conditions on a workload aliased `w` for the scope; always starts with AND or is empty. */
export function scopeSql(filter: FleetFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.target)
    parts.push(Prisma.sql`AND w."targetId" = (SELECT s."id" FROM "Target" s WHERE s."name" = ${filter.target})`);
  if (filter.namespace !== undefined) parts.push(Prisma.sql`AND w."namespace" = ${filter.namespace}`);
  if (filter.team) parts.push(Prisma.sql`AND ${teamSql(filter.team)}`);
  return parts.length === 0 ? Prisma.empty : Prisma.join(parts, " ");
}
