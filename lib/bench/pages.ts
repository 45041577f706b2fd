// Page benchmark: a big simulated fleet polled by the real pipeline, 90 days of rollups, and `next start`
// answering the overview, a filtered violations page, a workload page, the 90-day trends, a framework view and the
// auditor report (today's, and 30 days back from the rollup history).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createSession } from "@/lib/services/sessions";
import { runCollection } from "@/lib/collectors/run-collection";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { startDockerSimulator } from "@/lib/simulator/docker";
import { generateDockerFleet } from "@/lib/simulator/fleet";
import { createTarget } from "@/lib/services/targets";
import { createUser } from "@/lib/services/users";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const USAGE = `Usage: npm run bench -- pages [--containers N] [--per-host N] [--days N] [--requests N] [--dir PATH]
                              [--keep | --reuse NAME] [--seed-only]

Needs DATABASE_URL (a Postgres server; a fresh database is made on it and dropped unless --keep) and a
production build in --dir (default: the repository; run \`next build\` first).
  --keep        keep the seeded database (its name is printed) to measure it again with --reuse
  --reuse NAME  measure a kept database (migrated to the current schema first) instead of seeding one
  --seed-only   seed (with --keep) and stop, without a build
`;

interface Options {
  containers: number;
  perHost: number;
  days: number;
  requests: number;
  dir: string;
  keep: boolean;
  reuse?: string;
  seedOnly: boolean;
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      containers: { type: "string", default: "20000" },
      "per-host": { type: "string", default: "500" },
      days: { type: "string", default: "90" },
      requests: { type: "string", default: "50" },
      dir: { type: "string", default: ROOT },
      keep: { type: "boolean", default: false },
      reuse: { type: "string" },
      "seed-only": { type: "boolean", default: false },
    },
  });
  return {
    containers: Number(values.containers),
    perHost: Number(values["per-host"]),
    days: Number(values.days),
    requests: Number(values.requests),
    dir: path.resolve(values.dir),
    keep: values.keep || values["seed-only"] || values.reuse !== undefined,
    ...(values.reuse !== undefined ? { reuse: values.reuse } : {}),
    seedOnly: values["seed-only"],
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

async function populate(db: Db, options: Options): Promise<void> {
  const hosts = Math.max(1, Math.round(options.containers / options.perHost));
  const fleet = generateDockerFleet({ hosts, containersPerHost: options.perHost, seed: 42 });
  const simulator = await startDockerSimulator({ hosts: fleet.hosts });
  try {
    for (const [i, engine] of simulator.engines.entries()) {
      const target = await createTarget(db, {
        name: `bench-${engine.host}`,
        platform: "docker",
        url: engine.url,
        settings: { insecure: true },
        enabled: false,
      });
      const result = await runCollection({ db, targetId: target.id, timeoutMs: 600_000 });
      if (result.error) throw new Error(`polling ${engine.host}: ${result.error}`);
      if (i % 10 === 0) log(`polled ${i + 1}/${hosts} hosts (${result.containers} containers on the last)`);
    }
  } finally {
    await simulator.close();
  }
}

/**
 * One past run per target and day, each changing every rollup key (compliance varied by day): the most rollup
 * rows compaction can leave, since rows are written only on change.
 */
async function addHistory(db: Db, days: number): Promise<number> {
  await db.$executeRawUnsafe(`
    CREATE TEMP TABLE bench_runs AS
    SELECT gen_random_uuid() AS id, t."id" AS "targetId", now() - make_interval(days => d) AS at, d
    FROM "Target" t CROSS JOIN generate_series(1, ${days - 1}) d`);
  await db.$executeRawUnsafe(`
    INSERT INTO "CollectionRun" ("id", "targetId", "status", "startedAt", "finishedAt")
    SELECT id, "targetId", 'succeeded', at, at FROM bench_runs`);
  return db.$executeRawUnsafe(`
    INSERT INTO "RunRollup" ("id", "runId", "targetId", "namespace", "checkId", "passed", "failed", "at")
    SELECT gen_random_uuid(), b.id, r."targetId", r."namespace", r."checkId",
      greatest(0, r."passed" - (b.d * (r."passed" + r."failed") / ${days * 3})::int), 
      r."failed" + (b.d * (r."passed" + r."failed") / ${days * 3})::int, b.at
    FROM "RunRollup" r JOIN bench_runs b ON b."targetId" = r."targetId"`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** `next start` of the production build in `dir` on a free port, against `databaseUrl`; answers once /sign-in does. */
export async function startNext(dir: string, databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const bin = path.join(dir, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [bin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(`${base}/sign-in`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error("next start did not answer within 60 s");
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** p50/p95 in ms of `requests` GETs of `url` (after 3 warm-up ones), signed in by `cookie`. */
export async function measure(base: string, cookie: string, url: string, requests: number) {
  const times: number[] = [];
  const statuses = new Set<number>();
  for (let i = 0; i < requests + 3; i++) {
    const started = performance.now();
    const response = await fetch(base + url, { headers: { cookie }, redirect: "manual" });
    await response.arrayBuffer();
    if (i >= 3) times.push(performance.now() - started);
    statuses.add(response.status);
  }
  times.sort((a, b) => a - b);
  return { url, p50: percentile(times, 50), p95: percentile(times, 95), statuses: [...statuses] };
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement each page's read models send (lib/bench/pages/explain.ts). */
function explain(databaseUrl: string, workloadId: string): Promise<void> {
  const script = path.join(import.meta.dirname, "pages", "explain.ts");
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", script, databaseUrl, workloadId],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`explain exited with ${code}`)))),
  );
}

function log(line: string): void {
  process.stdout.write(`bench pages: ${line}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const options = parse(argv);
  const server = process.env.DATABASE_URL;
  if (!server) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (options.reuse !== undefined && !/^rampart_pages_[0-9a-f]{8}$/.test(options.reuse)) {
    process.stderr.write(
      `--reuse takes a database name this benchmark printed (rampart_pages_…), not ${options.reuse}\n`,
    );
    return 2;
  }
  const name = options.reuse ?? `rampart_pages_${randomBytes(4).toString("hex")}`;
  if (!options.reuse) await adminQuery(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = createDb(databaseUrl);
  let next: ChildProcess | undefined;
  try {
    await migrate(databaseUrl);
    if (!options.reuse) {
      let started = Date.now();
      await populate(db, options);
      log(
        `fleet: ${await db.container.count()} containers, ${await db.finding.count()} findings in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      started = Date.now();
      const rollups = await addHistory(db, options.days);
      log(
        `history: ${rollups} rollup rows over ${options.days} days in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    // What autovacuum does on a server that has it on (this machine's has it off): statistics and the visibility map,
    // without which the index-only counts (a check's open findings) read every heap page. As the reports benchmark.
    await db.$executeRawUnsafe("VACUUM ANALYZE");
    log(
      `database ${name}: ${await db.container.count()} containers, ${await db.finding.count()} findings, ${await db.runRollup.count()} rollup rows`,
    );
    if (options.seedOnly) return 0;
    const user =
      (await db.user.findUnique({ where: { email: "bench@rampart.test" } })) ??
      (await createUser(
        db,
        { email: "bench@rampart.test", name: "Bench", role: "admin", password: "bench password 123" },
        { email: "bench" },
      ));
    const cookie = `rampart_session=${await createSession(db, user.id)}`;
    const workload = await db.$queryRaw<{ id: string }[]>`
      SELECT c."workloadId" AS id FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" WHERE f."status" = 'open' LIMIT 1`;
    await explain(databaseUrl, workload[0]?.id ?? "");
    const server = await startNext(options.dir, databaseUrl);
    next = server.child;
    const pages = [
      "/",
      "/violations?severity=high&check=run-as-non-root",
      `/workloads/${workload[0]?.id ?? ""}`,
      "/trends?days=90",
      "/compliance",
      "/checks/run-as-non-root",
      "/compliance/frameworks/cis-docker",
      "/reports/audit",
      `/reports/audit?date=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}`,
    ];
    for (const page of pages) {
      const r = await measure(server.base, cookie, page, options.requests);
      log(
        `${r.url}: p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms over ${options.requests} requests (HTTP ${r.statuses.join(",")})`,
      );
    }
    return 0;
  } finally {
    next?.kill();
    await db.$disconnect();
    if (!options.keep) await adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    else log(`kept database ${name}`);
  }
}
