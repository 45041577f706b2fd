import { collectTarget } from "@/lib/collectors/collect-target";
import type { Db, Prisma } from "@/lib/db";
import { listActiveExceptionRules } from "@/lib/services/exceptions";
import { failRun, recordRun, startRun } from "@/lib/services/runs";
import { createTarget } from "@/lib/services/targets";
import { DEMO_PREFIX, startDemoCluster, startDemoDockerHosts, type DemoTarget } from "./demo-targets";

export interface DemoOptions {
  days: number;
  /** Pods of each simulated cluster. */
  clusters: number[];
  dockerHosts: number;
  containersPerHost: number;
  now?: Date;
  log?: (line: string) => void;
}

export const DEFAULT_DEMO: DemoOptions = { days: 90, clusters: [160, 90, 60], dockerHosts: 2, containersPerHost: 30 };

const CLUSTER_NAMES = ["cluster-prod-eu", "cluster-prod-us", "cluster-staging", "cluster-dev"];
const DAY_MS = 86_400_000;

export interface DemoResult {
  targets: number;
  runs: number;
  containers: number;
}

/** Demo targets are those `rampart demo` created: `settings.demo` is true. */
export async function removeDemoData(db: Db): Promise<number> {
  const { count } = await db.target.deleteMany({ where: { settings: { path: ["demo"], equals: true } } });
  return count;
}

async function startTargets(options: DemoOptions, first: Date): Promise<DemoTarget[]> {
  const clusters = await Promise.all(
    options.clusters.map((pods, i) =>
      startDemoCluster({
        name: `${DEMO_PREFIX}${CLUSTER_NAMES[i] ?? `cluster-${i + 1}`}`,
        pods,
        seed: 101 + i,
        at: first,
      }),
    ),
  );
  const hosts =
    options.dockerHosts > 0
      ? await startDemoDockerHosts({
          hosts: options.dockerHosts,
          containersPerHost: options.containersPerHost,
          seed: 7,
        })
      : [];
  return [...clusters, ...hosts];
}

async function pollOnce(db: Db, target: DemoTarget, targetId: string, now: Date): Promise<number> {
  const started = Date.now();
  const { runId } = await startRun(db, { targetId, now });
  // The run ends as long after its simulated start as it really took.
  const end = () => new Date(now.getTime() + (Date.now() - started));
  try {
    const exceptions = await listActiveExceptionRules(db, now);
    const { evaluations, report } = await collectTarget(target.connection(), {
      now,
      targetId,
      exceptions,
      timeoutMs: 30_000,
    });
    await recordRun(db, {
      runId,
      targetId,
      evaluations,
      complete: report.complete,
      warnings: report.warnings,
      now: end(),
    });
    return evaluations.reduce((n, e) => n + e.containers.length, 0);
  } catch (error) {
    await failRun(db, { runId, error: error instanceof Error ? error.message : String(error), now: end() });
    return 0;
  }
}

/**
 * Fills the database with simulated clusters and Docker hosts and `days` days of history made by the real
 * pipeline (collector → evaluate → recordRun) with past run times, one run per target and day, the fleet drifting
 * in between. Earlier demo data is removed first. Demo targets are disabled so no worker polls the gone simulators.
 */
export async function loadDemoFleet(db: Db, options: DemoOptions = DEFAULT_DEMO): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const first = new Date(now.getTime() - (options.days - 1) * DAY_MS);
  await removeDemoData(db);
  const targets = await startTargets(options, first);
  try {
    const ids: string[] = [];
    for (const target of targets) {
      const settings: Prisma.InputJsonObject = { demo: true };
      const row = await createTarget(db, {
        name: target.name,
        platform: target.platform,
        url: target.connection().url,
        settings,
        enabled: false,
        intervalSeconds: 86_400,
      });
      ids.push(row.id);
    }
    let runs = 0;
    let containers = 0;
    for (let day = 0; day < options.days; day++) {
      const at = day === options.days - 1 ? now : new Date(first.getTime() + day * DAY_MS);
      containers = 0;
      for (const [i, target] of targets.entries()) {
        if (day > 0) await target.advance(day, at);
        containers += await pollOnce(db, target, ids[i] as string, at);
        runs += 1;
      }
      if (day % 10 === 0 || day === options.days - 1) log(`day ${day + 1}/${options.days}: ${containers} containers`);
    }
    return { targets: targets.length, runs, containers };
  } finally {
    await Promise.all(targets.map((target) => target.close()));
  }
}
