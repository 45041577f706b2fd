import type { Db } from "@/lib/db";
import { pruneReports } from "@/lib/services/reports/prune-reports";
import { compactRollups } from "@/lib/services/runs";
import { pruneGone } from "./prune-gone";
import { pruneRuns } from "./prune-runs";

const DAY_MS = 86_400_000;

export interface MaintenanceOptions {
  now?: Date;
  /** Every run's rollups are kept this long, then one run per target and day. Default 30. */
  rollupDays?: number;
  /** Resolved findings of gone containers, and the containers, are kept this long. Default 365. */
  retentionDays?: number;
}

export interface MaintenanceResult {
  rollupsDeleted: number;
  runsDeleted: number;
  containersDeleted: number;
  findingsDeleted: number;
  workloadsDeleted: number;
  /** Fixes no finding points at any more. */
  fixesDeleted: number;
  /** Result sets (passes and checks not judged) no container points at any more. */
  resultSetsDeleted: number;
  /** Scanner reports superseded by a newer one longer ago than the rollup period. */
  reportsDeleted: number;
}

/** Keeps storage bounded; safe to run from several processes at once (each step is one idempotent statement). */
export async function runMaintenance(db: Db, options: MaintenanceOptions = {}): Promise<MaintenanceResult> {
  const now = options.now ?? new Date();
  const rollupDays = options.rollupDays ?? 30;
  const retentionDays = options.retentionDays ?? 365;
  if (!(rollupDays > 0 && retentionDays > 0))
    throw new Error("maintenance: rollupDays and retentionDays must be positive");
  const rollupsDeleted = await compactRollups(db, { now, keepDays: rollupDays });
  const runsDeleted = await pruneRuns(db, { cutoff: new Date(now.getTime() - rollupDays * DAY_MS) });
  const reportsDeleted = await pruneReports(db, { cutoff: new Date(now.getTime() - rollupDays * DAY_MS) });
  const gone = await pruneGone(db, { cutoff: new Date(now.getTime() - retentionDays * DAY_MS) });
  return {
    rollupsDeleted,
    runsDeleted,
    containersDeleted: gone.containers,
    findingsDeleted: gone.findings,
    workloadsDeleted: gone.workloads,
    fixesDeleted: gone.fixes,
    resultSetsDeleted: gone.resultSets,
    reportsDeleted,
  };
}
