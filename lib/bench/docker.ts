// Docker benchmark: N real containers on a private dockerd, polled, evaluated and stored by the real run path.
import { parseArgs } from "node:util";
import {
  buildBaseImage,
  dockerdUnavailableReason,
  runContainer,
  startDockerd,
  type PrivateDockerd,
} from "@/e2e/support/dockerd";
import { collectTarget } from "@/lib/collectors/collect-target";
import { runCollection, type RunCollectionResult } from "@/lib/collectors/run-collection";
import { createDb, type Db } from "@/lib/db";
import { createScratchDatabase } from "@/lib/db/scratch";
import { createTarget } from "@/lib/services/targets";

async function startContainers(engine: PrivateDockerd, image: string, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(names.slice(i, i + 8).map((name) => runContainer(engine, name, ["--memory=32m"], image)));
  }
}

/** Peak RSS and JS heap while measuring; RSS includes an embedded Postgres when no DATABASE_URL is set. */
function peakMemory(): { stop(): { rss: number; heap: number } } {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heap = Math.max(peak.heap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

async function timedRun(db: Db, targetId: string): Promise<{ result: RunCollectionResult; ms: number }> {
  const started = performance.now();
  const result = await runCollection({ db, targetId });
  if (result.status === "failed") throw new Error(`the run failed: ${result.error}`);
  return { result, ms: performance.now() - started };
}

function row(label: string, run: { result: RunCollectionResult; ms: number }): string {
  const stored = run.result.stored;
  const perSecond = (run.result.containers / (run.ms / 1000)).toFixed(0);
  return `${label.padEnd(28)} ${run.ms.toFixed(0).padStart(7)} ms ${perSecond.padStart(6)} containers/s ${String(stored?.rowsWritten ?? 0).padStart(6)} rows ${String(stored?.statements ?? 0).padStart(5)} statements`;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

async function measure(engine: PrivateDockerd, db: Db, count: number): Promise<string[]> {
  const { id: targetId } = await createTarget(db, { name: "bench", platform: "docker", url: engine.url });
  const memory = peakMemory();
  const collectStarted = performance.now();
  const polled = await collectTarget({
    name: "bench",
    platform: "docker",
    url: engine.url,
    settings: {},
    credentials: {},
  });
  const collectMs = performance.now() - collectStarted;
  const first = await timedRun(db, targetId);
  const unchanged = await timedRun(db, targetId);
  await engine.docker(["rm", "-f", "bench-0000"]);
  await runContainer(engine, "bench-0000", ["--memory=32m", "--read-only"], "rampart-bench/base:1");
  const changed = await timedRun(db, targetId);
  const peak = memory.stop();
  const containers = polled.evaluations.reduce((n, e) => n + e.containers.length, 0);
  return [
    `containers on the engine: ${count}, judged: ${containers}, workloads: ${polled.evaluations.length}`,
    `collect + evaluate only:     ${collectMs.toFixed(0).padStart(7)} ms ${(containers / (collectMs / 1000)).toFixed(0).padStart(6)} containers/s`,
    row("first run (store all):", first),
    row("second run (unchanged):", unchanged),
    row("after one container changed:", changed),
    `peak RSS: ${mib(peak.rss)} MiB, peak JS heap: ${mib(peak.heap)} MiB` +
      (process.env.DATABASE_URL ? "" : " (RSS includes the embedded Postgres)"),
  ];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { containers: { type: "string" } } });
  const count = Number(values.containers ?? 100);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write("bench docker: --containers must be a positive integer\n");
    return 2;
  }
  const reason = dockerdUnavailableReason();
  if (reason) {
    process.stderr.write(`bench docker: ${reason}\n`);
    return 2;
  }
  const engine = await startDockerd();
  const database = await createScratchDatabase("rampart_bench", process.env.DATABASE_URL);
  const db = createDb(database.url);
  try {
    const image = await buildBaseImage(engine, "rampart-bench/base:1");
    const started = performance.now();
    await startContainers(engine, image, count);
    console.log(`started ${count} containers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const line of await measure(engine, db, count)) console.log(line);
    return 0;
  } finally {
    await db.$disconnect();
    await database.drop();
    await engine.stop();
  }
}
