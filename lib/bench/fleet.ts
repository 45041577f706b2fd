// Fleet benchmark: N simulated containers on H Docker hosts, polled by 1, 2 and 4 `rampart worker` processes
// into a fresh Postgres database per configuration; then unchanged and 1%-changed re-polls and 90 simulated days.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { runMaintenance } from "@/lib/services/maintenance";
import { createTarget } from "@/lib/services/targets";
import { spawnDockerSimulator, type SimulatorProcess } from "@/lib/simulator/docker";

const BIN = fileURLToPath(new URL("../cli/bin.mjs", import.meta.url));
const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

interface Options {
  containers: number;
  perHost: number;
  workers: number[];
  concurrency: number;
  repollWorkers: number;
  days: number;
  historyRunsPerDay: number;
  /** Share of a target's (namespace, check) rollup keys that change in one simulated run; NaN: as measured in the 1%-changed re-poll. */
  historyChangeRate: number;
  keep: boolean;
  /**
   * Extra node options for the workers, given on their command line: `--max-old-space-size=256` to see the working set
   * under a cap, `--cpu-prof --cpu-prof-dir=DIR` or `--heap-prof` to profile them (not allowed in NODE_OPTIONS).
   */
  workerNodeOptions: string;
  /**
   * Log every statement of the re-polls with its duration (log_min_duration_statement = 0 on the bench database, in
   * the server's log), to profile Postgres where pg_stat_statements is not preloaded.
   */
  logStatements: boolean;
}

interface Phase {
  phase: string;
  workers: number;
  wallSeconds: number;
  pollSeconds: number;
  containers: number;
  containersPerSecond: number;
  rowsWritten: number;
  bytesWritten: number;
  runsFailed: number;
  workerPeakRssMiB: number[];
  workerCpuSeconds: number[];
  simulatorCpuSeconds: number;
  /** CPU of the Postgres backends that served the bench database in this phase (sampled every 250 ms). */
  postgresCpuSeconds: number;
  /** CPU of every `postgres` process on the machine: includes other users of a shared server. */
  postgresMachineCpuSeconds: number;
  /** 1-minute load average at the end: the machine may be shared, and wall times say so only beside it. */
  loadAverage: number;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function createDatabase(server: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rampart_bench_${randomBytes(6).toString("hex")}`;
  await sql(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: () => sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined),
  };
}

async function tableSizes(url: string): Promise<Record<string, number>> {
  const rows = await sql<{ name: string; bytes: string }>(
    url,
    `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}

const total = (sizes: Record<string, number>) => Object.values(sizes).reduce((a, b) => a + b, 0);

/** utime + stime of a process in seconds, and its peak RSS (VmHWM) in MiB. */
async function processStats(pid: number): Promise<{ cpu: number; peakMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
  const cpu = (Number(stat[11]) + Number(stat[12])) / 100;
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const hwm = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1] ?? 0);
  return { cpu, peakMiB: Math.round(hwm / 1024) };
}

/** utime + stime in seconds of a process, or undefined once it has exited. */
async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  const fields = stat?.split(") ")[1]?.split(" ");
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : undefined;
}

/**
 * The CPU of the backends serving one database (the server is local in the benchmark), on a shared server where
 * other databases' work would swamp a machine-wide figure. `sample` records each backend's latest total; a backend
 * that exits between samples loses at most one interval.
 */
class DatabaseBackendCpu {
  private readonly latest = new Map<number, number>();
  constructor(private readonly url: string) {}

  async sample(): Promise<void> {
    const rows = await sql<{ pid: number }>(
      this.url,
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    for (const { pid } of rows) {
      const cpu = await cpuSecondsOf(pid);
      if (cpu !== undefined) this.latest.set(pid, cpu);
    }
  }

  total(): number {
    return [...this.latest.values()].reduce((a, b) => a + b, 0);
  }
}

/** CPU seconds of every `postgres` process on this machine (the server is local in the benchmark). */
async function postgresCpuSeconds(): Promise<number> {
  let sum = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (!stat.includes("(postgres)")) continue;
    const fields = stat.split(") ")[1]?.split(" ") ?? [];
    // Own time plus that of exited children: backends that closed during the phase count through the postmaster.
    sum += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  }
  return sum;
}

function startWorkers(url: string, count: number, concurrency: number, nodeOptions: string): ChildProcess[] {
  const nodeArgs = nodeOptions.split(/\s+/).filter(Boolean);
  return Array.from({ length: count }, (_, i) =>
    spawn(process.execPath, [...nodeArgs, BIN, "worker", "--id", `bench-${i}`, "--concurrency", String(concurrency)], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "ignore", "inherit"],
    }),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<{ cpu: number; peakMiB: number }[]> {
  const stats = await Promise.all(workers.map((w) => processStats(w.pid ?? 0)));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) =>
          w.exitCode !== null ? resolve() : (w.once("exit", () => resolve()), w.kill("SIGTERM")),
        ),
    ),
  );
  return stats;
}

interface RunTotals {
  finished: number;
  failed: number;
  rows: number;
  containers: number;
  first: Date | null;
  last: Date | null;
}

async function runTotals(url: string, since: Date): Promise<RunTotals> {
  const [row] = await sql<{
    finished: string;
    failed: string;
    rows: string;
    containers: string;
    first: Date | null;
    last: Date | null;
  }>(
    url,
    `SELECT count(*) FILTER (WHERE status <> 'running') AS finished, count(*) FILTER (WHERE status = 'failed') AS failed,
       coalesce(sum("rowsWritten"), 0) AS rows, coalesce(sum(containers), 0) AS containers,
       min("startedAt") AS first, max("finishedAt") AS last
     FROM "CollectionRun" WHERE "startedAt" >= $1`,
    [since],
  );
  return {
    finished: Number(row?.finished ?? 0),
    failed: Number(row?.failed ?? 0),
    rows: Number(row?.rows ?? 0),
    containers: Number(row?.containers ?? 0),
    first: row?.first ?? null,
    last: row?.last ?? null,
  };
}

/** Every target due now, W workers poll until each has finished one run; the workers then stop. */
async function pollPhase(input: {
  nodeOptions: string;
  phase: string;
  url: string;
  workers: number;
  concurrency: number;
  targets: number;
  sim: SimulatorProcess;
}): Promise<Phase> {
  const { url } = input;
  const since = new Date(Date.now() - 1000);
  await sql(
    url,
    `UPDATE "Target" SET "nextRunAt" = now() - interval '1 second', "leaseOwner" = NULL, "leaseExpiresAt" = NULL`,
  );
  const before = total(await tableSizes(url));
  const simBefore = await processStats(input.sim.pid);
  const pgBefore = await postgresCpuSeconds();
  // The workers' backends start with the phase, so their whole CPU is the phase's.
  const backends = new DatabaseBackendCpu(url);
  const started = performance.now();
  const workers = startWorkers(url, input.workers, input.concurrency, input.nodeOptions);
  let totals = await runTotals(url, since);
  while (totals.finished < input.targets) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await backends.sample();
    totals = await runTotals(url, since);
  }
  await backends.sample();
  const wallSeconds = (performance.now() - started) / 1000;
  const stats = await stopWorkers(workers);
  const simAfter = await processStats(input.sim.pid);
  const pgCpu = (await postgresCpuSeconds()) - pgBefore;
  const pollSeconds =
    totals.first && totals.last ? (totals.last.getTime() - totals.first.getTime()) / 1000 : wallSeconds;
  return {
    phase: input.phase,
    workers: input.workers,
    wallSeconds: round(wallSeconds),
    pollSeconds: round(pollSeconds),
    containers: totals.containers,
    containersPerSecond: Math.round(totals.containers / pollSeconds),
    rowsWritten: totals.rows,
    bytesWritten: total(await tableSizes(url)) - before,
    runsFailed: totals.failed,
    workerPeakRssMiB: stats.map((s) => s.peakMiB),
    workerCpuSeconds: stats.map((s) => round(s.cpu)),
    simulatorCpuSeconds: round(simAfter.cpu - simBefore.cpu),
    postgresCpuSeconds: round(backends.total()),
    postgresMachineCpuSeconds: round(pgCpu),
    loadAverage: round(loadavg()[0] ?? 0),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

async function createTargets(url: string, sim: SimulatorProcess): Promise<void> {
  const db = createDb(url);
  try {
    for (const engine of sim.engines) {
      await createTarget(db, { name: engine.host, platform: "docker", url: engine.url, intervalSeconds: 86_400 });
    }
  } finally {
    await db.$disconnect();
  }
}

/** Rollup rows the 1%-changed re-poll wrote, per (target, namespace, check) key: what one run changes. */
async function rollupChangeRate(url: string, since: Date): Promise<number> {
  const [row] = await sql<{ written: string; keys: string }>(
    url,
    `SELECT (SELECT count(*) FROM "RunRollup" WHERE "at" >= $1) AS written,
       (SELECT count(*) FROM (SELECT DISTINCT "targetId", "namespace", "team", "checkId" FROM "RunRollup") k) AS keys`,
    [since],
  );
  return Number(row?.written ?? 0) / Math.max(1, Number(row?.keys ?? 0));
}

/**
 * 90 days of history as the scheduler would leave it: `runsPerDay` run rows per target and day, and rollup rows
 * only where counts changed: a `changeRate` share of each target's (namespace, check) keys per run (by default
 * the share the 1%-changed re-poll changed; copies of the latest rows), then the maintenance compaction. Copies, not polls:
 * 90 days of polling 100,000 containers is not a benchmark.
 */
async function simulateHistory(
  url: string,
  days: number,
  runsPerDay: number,
  changeRate: number,
): Promise<{ runs: number; compacted: number }> {
  const [runs] = await sql<{ n: string }>(
    url,
    `WITH slots AS (
       SELECT t.id AS "targetId", now() - (d * interval '1 day') - (s * interval '1 day' / $2) AS at
       FROM "Target" t, generate_series(1, $1) d, generate_series(0, $2 - 1) s
     ), runs AS (
       INSERT INTO "CollectionRun" ("id", "targetId", "status", "startedAt", "finishedAt", "containers")
       SELECT gen_random_uuid(), "targetId", 'succeeded', at, at, 0 FROM slots
       RETURNING "id", "targetId", "startedAt"
     ), latest AS (
       SELECT "targetId", "namespace", "team", "checkId", "passed", "failed" FROM "RollupLatest"
     ), copied AS (
       INSERT INTO "RunRollup" ("id", "runId", "targetId", "namespace", "team", "checkId", "passed", "failed", "at")
       SELECT gen_random_uuid(), runs."id", l."targetId", l."namespace", l."team", l."checkId", l."passed", l."failed", runs."startedAt"
       FROM runs JOIN latest l ON l."targetId" = runs."targetId" WHERE random() < $3
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM runs) AS n, (SELECT count(*) FROM copied) AS copied`,
    [days, runsPerDay, changeRate],
  );
  const db = createDb(url);
  try {
    const done = await runMaintenance(db, {});
    await sql(url, "VACUUM FULL ANALYZE");
    return { runs: Number(runs?.n ?? 0), compacted: done.rollupsDeleted };
  } finally {
    await db.$disconnect();
  }
}

function parseOptions(argv: string[]): Options | string {
  const { values } = parseArgs({
    args: argv,
    options: {
      containers: { type: "string", default: "10000" },
      "per-host": { type: "string", default: "200" },
      workers: { type: "string", default: "1,2,4" },
      concurrency: { type: "string", default: "4" },
      "repoll-workers": { type: "string", default: "2" },
      days: { type: "string", default: "90" },
      "history-runs-per-day": { type: "string", default: "4" },
      "history-change-rate": { type: "string", default: "" },
      keep: { type: "boolean", default: false },
      "worker-node-options": { type: "string", default: "" },
      "log-statements": { type: "boolean", default: false },
    },
  });
  const int = (text: string | undefined) => Number(text);
  const options: Options = {
    containers: int(values.containers),
    perHost: int(values["per-host"]),
    workers: (values.workers ?? "").split(",").map(Number),
    concurrency: int(values.concurrency),
    repollWorkers: int(values["repoll-workers"]),
    days: int(values.days),
    historyRunsPerDay: int(values["history-runs-per-day"]),
    historyChangeRate: values["history-change-rate"] ? Number(values["history-change-rate"]) : Number.NaN,
    keep: values.keep ?? false,
    workerNodeOptions: values["worker-node-options"] ?? "",
    logStatements: values["log-statements"] ?? false,
  };
  const counts = [
    options.containers,
    options.perHost,
    options.concurrency,
    options.repollWorkers,
    options.days,
    options.historyRunsPerDay,
    ...options.workers,
  ];
  const rate = options.historyChangeRate;
  if (!Number.isNaN(rate) && !(rate >= 0 && rate <= 1)) return "--history-change-rate is a share, 0..1";
  return counts.every((n) => Number.isInteger(n) && n > 0) ? options : "every count must be a positive integer";
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function printTable(phases: Phase[], base: Phase | undefined): void {
  console.log(
    "\nphase                 workers  poll s  wall s  containers/s  efficiency      rows   MiB written  worker peak RSS MiB  worker CPU s  simulator CPU s  postgres CPU s  load",
  );
  for (const p of phases) {
    const efficiency =
      base && p.phase === "first poll"
        ? `${Math.round((100 * p.containersPerSecond) / (p.workers * base.containersPerSecond))}%`
        : "";
    console.log(
      `${p.phase.padEnd(21)} ${String(p.workers).padStart(7)} ${String(p.pollSeconds).padStart(7)} ${String(p.wallSeconds).padStart(7)} ${String(p.containersPerSecond).padStart(13)} ${efficiency.padStart(11)} ${String(p.rowsWritten).padStart(9)} ${mib(p.bytesWritten).padStart(13)}  ${p.workerPeakRssMiB.join("/").padStart(19)}  ${p.workerCpuSeconds.join("/").padStart(12)} ${String(p.simulatorCpuSeconds).padStart(16)} ${String(p.postgresCpuSeconds).padStart(15)} ${String(p.loadAverage).padStart(5)}`,
    );
  }
}

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === "string") {
    process.stderr.write(`bench fleet: ${options}\n`);
    return 2;
  }
  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  const hosts = Math.ceil(options.containers / options.perHost);
  const socketDir = await mkdtemp(path.join(tmpdir(), "rampart-bench-fleet-"));
  const sim = await spawnDockerSimulator({ hosts, containersPerHost: options.perHost, seed: 1, socketDir });
  console.log(`simulated fleet: ${hosts} Docker hosts × ${options.perHost} containers (5% stopped, not polled)`);
  const phases: Phase[] = [];
  const databases: { url: string; drop(): Promise<void> }[] = [];
  try {
    for (const workers of options.workers) {
      const database = await createDatabase(server);
      databases.push(database);
      await createTargets(database.url, sim);
      phases.push(
        await pollPhase({
          phase: "first poll",
          url: database.url,
          workers,
          concurrency: options.concurrency,
          targets: hosts,
          sim,
          nodeOptions: options.workerNodeOptions,
        }),
      );
      console.log(JSON.stringify(phases.at(-1)));
    }
    const url = databases.at(-1)?.url ?? "";
    const firstRows = phases.at(-1)?.rowsWritten ?? 0;
    const repoll = {
      url,
      workers: options.repollWorkers,
      concurrency: options.concurrency,
      targets: hosts,
      sim,
      nodeOptions: options.workerNodeOptions,
    };
    // A database setting reaches the sessions opened after it: the re-poll's workers start after this.
    if (options.logStatements)
      await sql(url, `ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET log_min_duration_statement = 0`);
    phases.push(await pollPhase({ ...repoll, phase: "unchanged re-poll" }));
    const changed = await sim.drift(0.01, 2);
    const driftSince = new Date();
    phases.push(await pollPhase({ ...repoll, phase: "1%-changed re-poll" }));
    const changeRate = Number.isNaN(options.historyChangeRate)
      ? await rollupChangeRate(url, driftSince)
      : options.historyChangeRate;
    const history = {
      ...(await simulateHistory(url, options.days, options.historyRunsPerDay, changeRate)),
      changeRate,
    };
    const sizes = await tableSizes(url);
    const [database] = await sql<{ bytes: string }>(url, "SELECT pg_database_size(current_database()) AS bytes");
    const counts = await sql<{ name: string; rows: string }>(
      url,
      `SELECT relname AS name, n_live_tup AS rows FROM pg_stat_user_tables`,
    );
    printTable(
      phases,
      phases.find((p) => p.phase === "first poll" && p.workers === 1),
    );
    const unchanged = phases.find((p) => p.phase === "unchanged re-poll");
    console.log(
      `\nunchanged re-poll wrote ${((100 * (unchanged?.rowsWritten ?? 0)) / Math.max(1, firstRows)).toFixed(2)}% of the first poll's rows; drift changed ${changed} containers`,
    );
    console.log(
      `after ${options.days} simulated days (${options.historyRunsPerDay} runs/target/day, ${(100 * changeRate).toFixed(2)}% of rollup keys changed per run, ${history.runs} runs, ${history.compacted} rollup rows compacted): database ${mib(Number(database?.bytes ?? 0))} MiB`,
    );
    for (const [name, bytes] of Object.entries(sizes)) {
      console.log(
        `  ${name.padEnd(20)} ${mib(bytes).padStart(9)} MiB ${String(counts.find((c) => c.name === name)?.rows ?? "").padStart(10)} rows`,
      );
    }
    console.log(
      "\n" +
        JSON.stringify({
          options,
          hosts,
          phases,
          driftChanged: changed,
          history,
          databaseBytes: Number(database?.bytes ?? 0),
          tableBytes: sizes,
        }),
    );
    return 0;
  } finally {
    await sim.close();
    await rm(socketDir, { recursive: true, force: true });
    if (!options.keep) for (const database of databases) await database.drop();
  }
}
