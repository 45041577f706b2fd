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
  /** Docker: stopped containers are judged too. */
  includeStopped: boolean;
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

function settingsOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The stored non-secret settings of one target, for actions that change one of them; null when it is gone. */
export async function getTargetSettings(targetId: string): Promise<Record<string, unknown> | null> {
  const target = await getDb().target.findUnique({ where: { id: targetId }, select: { settings: true } });
  return target ? settingsOf(target.settings) : null;
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
      includeStopped: settingsOf(target.settings).includeStopped === true,
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
