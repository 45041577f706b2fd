// `npm run bench -- reports [--images N] [--vulns N] [--containers N] [--runs N] [--requests N] [--dir PATH]`: ingest
// rate of scanner reports, what the writes that move vulnerability reach cost, p95 of "which containers run CVE-X",
// of the vulnerabilities and image pages' read models and of /vulnerabilities over HTTP (`next start` of the
// production build in --dir) on a Postgres server (DATABASE_URL, default the local one), in a throwaway database.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { listAcceptedVulnerabilities } from "@/lib/data/accepted-vulnerabilities";
import { currentReportIds, getImage } from "@/lib/data/image";
import { listImageSecrets } from "@/lib/data/image-secrets";
import { listImageVulnerabilities } from "@/lib/data/image-vulnerabilities";
import { listImageWorkloads } from "@/lib/data/image-workloads";
import { listFleetVulnerabilities } from "@/lib/data/vulnerabilities";
import { listVulnerabilityImages } from "@/lib/data/vulnerability-images";
import { listContainersRunningVulnerability } from "@/lib/data/vulnerable-workloads";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { vulnerabilitiesHref, type VulnerabilityQuery } from "@/lib/scope/vulnerability-query";
import { createSession } from "@/lib/services/sessions";
import { createUser } from "@/lib/services/users";
import { createDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { ingestReports } from "@/lib/services/reports";
import { measure, ROOT, startNext } from "./pages";
import { benchDigest as digestOf, benchReport as report } from "./report-fixture";

/** p50/p95/max in ms of `count` calls of `once`, after one warm-up call. */
async function timed(count: number, once: (i: number) => Promise<unknown>) {
  await once(count);
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await once(i);
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  const at = (f: number) => timings[Math.min(timings.length - 1, Math.floor(f * timings.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** The /vulnerabilities page's read models as its page.tsx calls them, for the whole fleet (filter options aside). */
async function vulnerabilitiesPage(db: ReturnType<typeof createDb>, query: VulnerabilityQuery) {
  const [result] = await Promise.all([
    listFleetVulnerabilities(db, { ...query, access: WHOLE_FLEET }),
    listAcceptedVulnerabilities(db, new Date()),
  ]);
  await listVulnerabilityImages(
    db,
    WHOLE_FLEET,
    result.rows.map((r) => r.vulnerabilityId),
  );
  return result;
}

/** An image page's read models as app/images/[digest]/page.tsx and its panels call them. */
async function imagePage(db: ReturnType<typeof createDb>, digest: string) {
  const image = await getImage(db, WHOLE_FLEET, digest);
  if (!image) throw new Error(`bench image ${digest} not found`);
  const digests = image.digests.map((d) => d.digest);
  await Promise.all([
    listImageWorkloads(db, { access: WHOLE_FLEET, digests }),
    listImageVulnerabilities(db, {
      access: WHOLE_FLEET,
      digests,
      reportIds: currentReportIds(image, "vulnerabilities"),
    }),
    listImageSecrets(db, currentReportIds(image, "secrets")),
  ]);
}

async function sql(url: string, text: string, values: unknown[] = []) {
  return (await sqlCpu(url, text, values)).rows;
}

/** A Postgres backend's user + system CPU time in ms, read from /proc (null when the server is not on this machine). */
async function backendCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

/**
 * One statement on its own connection (in its own transaction, deferred triggers included), and the CPU its server
 * backend spent on it: comparable across loads where wall time is not.
 */
async function sqlCpu(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [{ pid }] = (await client.query("SELECT pg_backend_pid() AS pid")).rows as [{ pid: number }];
    const before = await backendCpuMs(pid);
    const rows = (await client.query(text, values)).rows;
    const after = await backendCpuMs(pid);
    return { rows, cpuMs: before === null || after === null ? null : after - before };
  } finally {
    await client.end();
  }
}

/**
 * What the writes that move vulnerability reach (kept by triggers, VulnerabilityReach) cost on the bench fleet, in
 * ms: a poll moving 1,000 containers (workloads w-1…w-1000) to the next image, one rewriting every container
 * without moving any, and an ingest of 50 newer reports of running images (other findings, superseding theirs).
 */
async function reachWrites(db: ReturnType<typeof createDb>, url: string, images: number, vulns: number) {
  const time = async (write: () => Promise<unknown>) => {
    const t = performance.now();
    await write();
    return performance.now() - t;
  };
  const cpu: Record<string, number | null> = {};
  const move = await time(async () => {
    cpu.move = (
      await sqlCpu(
        url,
        `UPDATE "Container" c SET "digests" = ARRAY['sha256:' || lpad(to_hex(((substring(w."name" from 3)::int + 1) % $1::int) + 1), 64, '0')]
       FROM "Workload" w WHERE w."id" = c."workloadId" AND substring(w."name" from 3)::int <= 1000`,
        [images],
      )
    ).cpuMs;
  });
  const rewrite = await time(async () => {
    cpu.rewrite = (await sqlCpu(url, `UPDATE "Container" SET "factsHash" = "factsHash" || '.'`)).cpuMs;
  });
  const newer = Array.from({ length: 50 }, (_, k) => {
    const other = report(k + 1, vulns); // other findings, for image k's digest
    return {
      ...other,
      digests: report(k, vulns).digests,
      contentHash: `${other.contentHash}-newer`,
      scannedAt: new Date(Date.now() + 60_000).toISOString(),
    };
  });
  const ingest = await time(() => ingestReports(db, newer, { via: "cli" }));
  return { move, rewrite, ingest, cpu };
}

/**
 * p50/p95 of each /vulnerabilities query over HTTP, signed in as an admin, from `next start` of the production build
 * in --dir (the repository by default); null, said so, when there is none.
 */
async function measureHttp(
  url: string,
  pages: Record<string, VulnerabilityQuery>,
  values: { requests?: string; dir?: string },
) {
  const dir = path.resolve(values.dir ?? ROOT);
  if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) {
    console.log(`HTTP: not measured, no production build in ${dir} (npm run build)`);
    return null;
  }
  const db = createDb(url);
  const server = await startNext(dir, url);
  try {
    const user = await createUser(
      db,
      { email: "bench@rampart.test", name: "Bench", role: "admin", password: "bench password 123" },
      { email: "bench" },
    );
    const cookie = `rampart_session=${await createSession(db, user.id)}`;
    const requests = Number(values.requests ?? 20);
    const figures: Record<string, { p50: number; p95: number }> = {};
    for (const [label, query] of Object.entries(pages)) {
      const r = await measure(server.base, cookie, vulnerabilitiesHref(query), requests);
      if (r.statuses.join() !== "200") throw new Error(`${r.url} answered HTTP ${r.statuses.join(",")}`);
      figures[label] = { p50: r.p50, p95: r.p95 };
      console.log(
        `HTTP ${r.url}: p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (${requests} requests; target p95 <= 300 ms; load ${loadavg()[0]?.toFixed(1)})`,
      );
    }
    return figures;
  } finally {
    server.child.kill();
    await db.$disconnect();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      images: { type: "string" },
      vulns: { type: "string" },
      containers: { type: "string" },
      runs: { type: "string" },
      requests: { type: "string" },
      dir: { type: "string" },
      keep: { type: "boolean" },
    },
  });
  const images = Number(values.images ?? 2000);
  const vulns = Number(values.vulns ?? 300);
  const containers = Number(values.containers ?? 20000);
  const server = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `rampart_bench_reports_${randomBytes(4).toString("hex")}`;
  await sql(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  try {
    await migrate(url.toString());
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < images; i += 50) {
      const batch = Array.from({ length: Math.min(50, images - i) }, (_, k) => report(i + k, vulns));
      await ingestReports(db, batch, { via: "cli" });
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const rows = await db.reportVulnerability.count();
    console.log(
      `ingest: ${images} reports, ${rows} vulnerability rows in ${seconds.toFixed(1)} s = ${(images / seconds).toFixed(1)} reports/s, ${(rows / seconds).toFixed(0)} vulnerabilities/s (this process: ${((used.user + used.system) / 1e6).toFixed(1)} CPU s, building reports included; load ${loadavg()[0]?.toFixed(1)})`,
    );
    const inserting = performance.now();
    const { cpuMs: fleetCpuMs } = await sqlCpu(
      url.toString(),
      `WITH t AS (INSERT INTO "Target" ("id", "name", "platform", "url", "updatedAt")
             SELECT gen_random_uuid(), 'bench-' || k, 'kubernetes', 'https://x', now() FROM generate_series(0, 1) k
             RETURNING "id", "name"),
       w AS (INSERT INTO "Workload" ("id", "targetId", "namespace", "kind", "name", "labels")
             SELECT gen_random_uuid(), t."id", 'ns-' || (g % 50), 'Deployment', 'w-' || g,
               jsonb_build_object('team', 'team-' || (g % 10))
             FROM t, generate_series(1, $1::int) g WHERE t."name" = 'bench-' || (g % 2) RETURNING "id", "name")
       INSERT INTO "Container" ("id", "workloadId", "name", "image", "digest", "digests", "factsHash")
       SELECT gen_random_uuid(), w."id", 'c', 'app', d, ARRAY[d], 'h'
       FROM w, LATERAL (SELECT 'sha256:' || lpad(to_hex((substring(w."name" from 3)::int % $2::int) + 1), 64, '0') AS d) x`,
      [containers, images],
    );
    const fleetSeconds = (performance.now() - inserting) / 1000;
    // What the first poll left for the page to read: scope keys, groups of containers matching the same reports in
    // one, and per-vulnerability rows per target and for the fleet.
    // (Null on a database before the reach_groups migration, which has no ReachGroup.)
    const [kept] = await sql(
      url.toString(),
      `SELECT (SELECT COUNT(DISTINCT ("targetId", "namespace", "team")) FROM "ReachGroup")::int AS "scopeKeys",
         (SELECT COUNT(*) FROM "ReachGroup")::int AS "groups",
         (SELECT COUNT(*) FROM "VulnerabilityReach" WHERE "level" = 1)::int AS "targetRows",
         (SELECT COUNT(*) FROM "VulnerabilityReach" WHERE "level" = 2)::int AS "fleetRows"`,
    ).catch(() => [null]);
    console.log(`vulnerability reach kept: ${JSON.stringify(kept)}`);
    await sql(url.toString(), "VACUUM ANALYZE");
    const timings: number[] = [];
    let found = 0;
    for (let q = 0; q < 200; q++) {
      const id = `CVE-2099-${((q * 37) % 5000).toString().padStart(4, "0")}`;
      const t = performance.now();
      found += (await listContainersRunningVulnerability(db, id, { limit: 1000 })).length;
      timings.push(performance.now() - t);
    }
    timings.sort((a, b) => a - b);
    const p = (f: number) => timings[Math.min(timings.length - 1, Math.floor(f * timings.length))]!.toFixed(1);
    console.log(
      `"which containers run CVE-X" over ${containers} containers: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms (200 queries, ${Math.round(found / 200)} rows on average, limit 1000)`,
    );
    const pages: Record<string, VulnerabilityQuery> = {
      unfiltered: {},
      target: { target: "bench-1" },
      namespace: { namespace: "ns-7" },
      team: { team: "team-3" },
      severity: { severity: "CRITICAL" },
      fixable: { fixable: true },
      "package class": { packageClass: "os" },
    };
    const figures: Record<string, { p50: number; p95: number; max: number }> = {};
    const runs = Number(values.runs ?? 20);
    for (const [label, query] of Object.entries(pages)) {
      figures[`vulnerabilities ${label}`] = await timed(runs, () => vulnerabilitiesPage(db, query));
    }
    figures["image page"] = await timed(runs, (i) => imagePage(db, digestOf(((i * 97) % images) + 1)));
    const http = await measureHttp(url.toString(), pages, values);
    for (const [label, f] of Object.entries(figures))
      console.log(
        `${label} page read models: p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (${runs} runs; target p95 <= 300 ms; load ${loadavg()[0]?.toFixed(1)})`,
      );
    // Last: the writes leave dead rows behind that the reads above should not meet before autovacuum does.
    const writes = await reachWrites(db, url.toString(), images, vulns);
    console.log(
      `writes with ${containers} containers running: the fleet's first poll (one INSERT) ${fleetSeconds.toFixed(1)} s; ` +
        `1,000 containers moving to other images ${writes.move.toFixed(0)} ms; every container rewritten, none moving ` +
        `${writes.rewrite.toFixed(0)} ms; 50 reports replacing running images' ${writes.ingest.toFixed(0)} ms (load ${loadavg()[0]?.toFixed(1)})`,
    );
    console.log(
      `the same writes' Postgres backend CPU: first poll ${fleetCpuMs} ms; 1,000 moving ${writes.cpu.move} ms; ` +
        `every container rewritten ${writes.cpu.rewrite} ms (null: server not on this machine)`,
    );
    console.log(
      JSON.stringify({
        bench: "reports",
        images,
        vulns,
        containers,
        rows,
        reportsPerSecond: images / seconds,
        vulnerabilitiesPerSecond: rows / seconds,
        fleetSeconds,
        fleetCpuMs,
        kept,
        writes,
        pages: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, { p50: f.p50, p95: f.p95 }])),
        http,
        load: loadavg()[0],
      }),
    );
    return 0;
  } finally {
    await db.$disconnect();
    if (values.keep) console.log(`kept ${url.toString()} (drop it when done)`);
    else await sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
