// `npm run bench -- reports [--images N] [--vulns N] [--containers N]`: ingest rate of scanner reports and p95 of
// "which containers run CVE-X" on a Postgres server (DATABASE_URL, default the local one), in a throwaway database.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { listContainersRunningVulnerability } from "@/lib/data/vulnerable-workloads";
import { createDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { readReports, type ScanReport } from "@/lib/reports";
import { ingestReports } from "@/lib/services/reports";

const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

/** A Trivy report of image `i`: `vulns` OS and application findings drawn from a pool of 5,000 ids. */
function report(i: number, vulns: number): ScanReport {
  const doc = {
    SchemaVersion: 2,
    CreatedAt: new Date().toISOString(),
    ArtifactName: `registry.bench/app-${i}:1`,
    ArtifactType: "container_image",
    Metadata: { ImageID: digestOf(i + 1) },
    Results: [
      {
        Target: "os",
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: Array.from({ length: vulns }, (_, v) => ({
          VulnerabilityID: `CVE-2099-${((i * 7 + v * 13) % 5000).toString().padStart(4, "0")}`,
          PkgName: `pkg-${v}`,
          InstalledVersion: "1.0",
          FixedVersion: v % 3 === 0 ? "" : "1.1",
          Severity: ["LOW", "MEDIUM", "HIGH", "CRITICAL"][v % 4],
          Title: `bench vulnerability ${v}`,
        })),
      },
    ],
  };
  return readReports(`bench-${i}.json`, JSON.stringify(doc))[0]!;
}

async function sql(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { images: { type: "string" }, vulns: { type: "string" }, containers: { type: "string" } },
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
    await sql(
      url.toString(),
      `WITH t AS (INSERT INTO "Target" ("id", "name", "platform", "url", "updatedAt") VALUES (gen_random_uuid(), 'bench', 'docker', 'unix:///x', now()) RETURNING "id"),
       w AS (INSERT INTO "Workload" ("id", "targetId", "kind", "name")
             SELECT gen_random_uuid(), t."id", 'Container', 'w-' || g FROM t, generate_series(1, $1::int) g RETURNING "id", "name")
       INSERT INTO "Container" ("id", "workloadId", "name", "image", "digest", "digests", "factsHash")
       SELECT gen_random_uuid(), w."id", 'c', 'app', d, ARRAY[d], 'h'
       FROM w, LATERAL (SELECT 'sha256:' || lpad(to_hex((substring(w."name" from 3)::int % $2::int) + 1), 64, '0') AS d) x`,
      [containers, images],
    );
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
    return 0;
  } finally {
    await db.$disconnect();
    await sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
