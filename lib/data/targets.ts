import "server-only";
import { getDb } from "@/lib/db";

export type RunStatus = "running" | "succeeded" | "partial" | "failed";

export interface TargetRow {
  id: string;
  name: string;
  platform: string;
  url: string;
  enabled: boolean;
  intervalSeconds: number;
  /** Current containers (not gone). */
  containers: number;
  lastRun: {
    status: RunStatus;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
    containers: number;
  } | null;
}

function toRunStatus(value: string): RunStatus {
  return value === "running" || value === "succeeded" || value === "partial" ? value : "failed";
}

export async function listTargets(): Promise<TargetRow[]> {
  const targets = await getDb().target.findMany({
    orderBy: { name: "asc" },
    include: {
      runs: { orderBy: { startedAt: "desc" }, take: 1 },
      workloads: {
        where: { goneAt: null },
        select: { _count: { select: { containers: { where: { goneAt: null } } } } },
      },
    },
  });
  return targets.map((target) => {
    const run = target.runs[0];
    return {
      id: target.id,
      name: target.name,
      platform: target.platform,
      url: target.url,
      enabled: target.enabled,
      intervalSeconds: target.intervalSeconds,
      containers: target.workloads.reduce((sum, workload) => sum + workload._count.containers, 0),
      lastRun: run
        ? {
            status: toRunStatus(run.status),
            startedAt: run.startedAt.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
            error: run.error,
            containers: run.containers,
          }
        : null,
    };
  });
}
