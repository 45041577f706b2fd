import "server-only";
import { getDb } from "@/lib/db";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";

export interface Overview {
  targets: number;
  containers: number;
  openBySeverity: Record<Severity, number>;
  /** Mean container score over current containers that have one; null when none has. */
  fleetScore: number | null;
}

export async function getOverview(): Promise<Overview> {
  const db = getDb();
  const [targets, containers, scores, findings] = await Promise.all([
    db.target.count(),
    db.container.count({ where: { goneAt: null } }),
    db.container.aggregate({ where: { goneAt: null, score: { not: null } }, _avg: { score: true } }),
    db.finding.groupBy({ by: ["severity"], where: { status: "open" }, _count: { _all: true } }),
  ]);
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of findings) {
    if ((SEVERITIES as readonly string[]).includes(row.severity)) openBySeverity[row.severity as Severity] += row._count._all;
  }
  return { targets, containers, openBySeverity, fleetScore: scores._avg.score };
}
