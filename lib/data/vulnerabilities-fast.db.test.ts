import { describe, expect, it } from "vitest";
import { Prisma, type Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { readReports } from "@/lib/reports";
import { REPORT_SEVERITIES } from "@/lib/reports/model";
import type { ContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import {
  createVulnerabilityException,
  ingestReports,
  loadReportContext,
  loadReportIndex,
  revokeVulnerabilityException,
} from "@/lib/services/reports";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import type { VulnerabilityQuery } from "@/lib/scope/vulnerability-query";
import { scopeSql, type ScopedFilter } from "./scope";
import { listFleetVulnerabilities, listWorkloadVulnerabilities } from "./vulnerabilities";
import { EXCEPTED_BY, exceptedJoins, IS_EXCEPTED } from "./vulnerability-excepted";

const test = setupTestDatabase();

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const IDS = Array.from({ length: 9 }, (_, i) => `CVE-2098-${i}`);

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The straightforward computation the page's query replaced: every vulnerability row joined to every running
 * container whose digests name its report, each judged by exceptedJoins, counted distinct per id.
 */
async function straightforward(db: Db, query: VulnerabilityQuery & ScopedFilter, now: Date) {
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.severity) where.push(Prisma.sql`v."severity" = ${query.severity}`);
  if (query.fixable !== undefined) where.push(Prisma.sql`v."fixable" = ${query.fixable}`);
  if (query.packageClass) where.push(Prisma.sql`v."packageClass" = ${query.packageClass}`);
  const open = Prisma.sql`COUNT(DISTINCT w."id") FILTER (WHERE NOT ${IS_EXCEPTED})`;
  const having =
    query.status === "open"
      ? Prisma.sql`HAVING ${open} > 0`
      : query.status === "excepted"
        ? Prisma.sql`HAVING ${open} = 0`
        : Prisma.empty;
  return db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    SELECT v."vulnerabilityId", MAX(CASE v."severity" WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3
        WHEN 'LOW' THEN 2 ELSE 1 END)::int AS rank,
      (ARRAY_AGG(DISTINCT v."package" ORDER BY v."package"))[1:5] AS "packages",
      ARRAY_AGG(DISTINCT v."packageClass" ORDER BY v."packageClass") AS "packageClasses",
      MIN(v."fixedVersion") AS "fixedVersion", BOOL_OR(v."fixable") AS "fixable",
      BOOL_OR(v."knownExploited") AS "knownExploited", MIN(v."link") AS "link",
      COUNT(DISTINCT w."id")::int AS "workloads", COUNT(DISTINCT c."id")::int AS "containers",
      ${open}::int AS "openWorkloads", COUNT(DISTINCT c."id") FILTER (WHERE NOT ${IS_EXCEPTED})::int AS "openContainers",
      (ARRAY_AGG(${EXCEPTED_BY}) FILTER (WHERE ${IS_EXCEPTED}))[1] IS NOT NULL AS "excepted"
    FROM "ReportVulnerability" v
    JOIN "ScanReport" r ON r."id" = v."reportId" AND r."supersededAt" IS NULL
    JOIN "ReportDigest" d ON d."reportId" = v."reportId"
    JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
    JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
    ${exceptedJoins(now)}
    WHERE ${Prisma.join(where, " AND ")} ${scopeSql(query)}
    GROUP BY v."vulnerabilityId"
    ${having}
    ORDER BY ${open} > 0 DESC, BOOL_OR(v."knownExploited") DESC, ${open} DESC, COUNT(DISTINCT w."id") DESC, rank DESC,
      v."vulnerabilityId"`);
}

function vex(imageDigest: string, vulnerability: string, status: string) {
  return JSON.stringify({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": `https://vex.test/${vulnerability}/${status}`,
    author: "security@test",
    timestamp: "2026-12-01T00:00:00Z",
    version: 1,
    statements: [
      {
        vulnerability: { name: vulnerability },
        products: [{ "@id": `pkg:oci/app@${imageDigest.replace(":", "%3A")}` }],
        status,
        ...(status === "not_affected" ? { justification: "vulnerable_code_not_present" } : {}),
      },
    ],
  });
}

/**
 * Six images with overlapping findings; workloads of one or two containers, some matching two reports. Each fleet
 * of the file's database has its own digests (`base`): a report's rows are not changed once containers run it.
 */
async function generateFleet(db: Db, rand: () => number, prefix = "gen", base = 0) {
  for (let image = 1; image <= 6; image++) {
    const findings = Array.from({ length: 4 + Math.floor(rand() * 10) }, (_, k) => ({
      VulnerabilityID: IDS[Math.floor(rand() * IDS.length)],
      PkgName: `pkg-${Math.floor(rand() * 4)}-${k % 2}`,
      InstalledVersion: `1.${k}`,
      FixedVersion: rand() < 0.6 ? `2.${Math.floor(rand() * 3)}` : "",
      Severity: SEVERITIES[Math.floor(rand() * 4)],
    }));
    const doc = {
      SchemaVersion: 2,
      CreatedAt: "2026-12-01T00:00:00Z",
      ArtifactName: `registry.test/app-${image}:1`,
      ArtifactType: "container_image",
      Metadata: { ImageID: digest(base + image) },
      Results: [
        { Target: "os", Class: "os-pkgs", Type: "debian", Vulnerabilities: findings.filter((_, k) => k % 3 !== 0) },
        { Target: "lock", Class: "lang-pkgs", Type: "npm", Vulnerabilities: findings.filter((_, k) => k % 3 === 0) },
      ],
    };
    await ingestReports(db, readReports(`app-${image}.json`, JSON.stringify(doc)), { via: "upload" });
  }
  await db.reportVulnerability.updateMany({
    where: { vulnerabilityId: IDS[2], report: { digests: { some: { digest: { in: [1, 2, 3, 4, 5, 6].map((i) => digest(base + i)) } } } } },
    data: { knownExploited: true },
  });
  const targets = await Promise.all(
    [`${prefix}-a`, `${prefix}-b`].map((name) => db.target.create({ data: { name, platform: "kubernetes", url: `https://${name}` } })),
  );
  for (let n = 0; n < 16; n++) {
    const w = await db.workload.create({
      data: {
        targetId: targets[n % 2]!.id,
        namespace: ["shop", "web", "data"][n % 3]!,
        kind: n % 4 === 0 ? "StatefulSet" : "Deployment",
        name: `w-${n}`,
        labels: n % 5 === 0 ? {} : { team: `team-${n % 3}` },
        namespaceLabels: {},
        goneAt: n === 15 ? new Date() : null,
      },
    });
    for (let k = 0; k < 1 + Math.floor(rand() * 2); k++) {
      const image = 1 + Math.floor(rand() * 7); // 7: an image no report names
      const digests = [digest(base + image), ...(rand() < 0.25 ? [digest(base + 1 + Math.floor(rand() * 6))] : [])];
      await db.container.create({
        data: {
          workloadId: w.id,
          name: `c-${k}`,
          image: `registry.test/app-${image}:1`,
          factsHash: `${n}-${k}`,
          digests: [...new Set(digests)],
          goneAt: rand() < 0.1 ? new Date() : null,
        },
      });
    }
  }
}

const now = new Date("2026-12-05T00:00:00Z");

/** Exceptions of every scope kind (everywhere, namespace, workload by name and Kind/name, digest, repository,
 * reference), one expired at `now`, one revoked; VEX statements of each status. */
async function exceptAndVex(db: Db, base = 0) {
    const created = new Date("2026-12-02T00:00:00Z");
    const later = new Date("2027-01-01T00:00:00Z");
    const actor = { email: "sec@test", access: WHOLE_FLEET };
    const except = (input: Record<string, unknown>, expiresAt = later) =>
      createVulnerabilityException(
        db,
        { reason: "generated", owner: "sec", expiresAt, ...input } as Parameters<typeof createVulnerabilityException>[1],
        actor,
        created,
      );
    await except({ vulnerabilityId: IDS[0] });
    await except({ vulnerabilityId: IDS[1], namespace: "shop" });
    await except({ vulnerabilityId: IDS[3], workload: "w-2" });
    await except({ vulnerabilityId: IDS[3], workload: "StatefulSet/w-4" });
    await except({ vulnerabilityId: IDS[4], image: digest(base + 2) });
    await except({ vulnerabilityId: IDS[5], image: "registry.test/app-3" });
    await except({ vulnerabilityId: IDS[5], image: "registry.test/app-4:1", namespace: "web" });
    await except({ vulnerabilityId: IDS[6] }, new Date("2026-12-04T00:00:00Z")); // expired at `now`
    const revoked = await except({ vulnerabilityId: IDS[7] });
    await revokeVulnerabilityException(db, revoked.id, actor, created);
    for (const [image, id, status] of [
      [1, IDS[8], "not_affected"],
      [2, IDS[2], "fixed"],
      [3, IDS[4], "affected"],
      [4, IDS[1], "under_investigation"],
    ] as const)
      await ingestReports(db, readReports("vex.json", vex(digest(base + image), id!, status)), { via: "upload" });

}

const QUERIES: VulnerabilityQuery[] = [
  {},
  { target: "gen-a" },
  { target: "gen-b", namespace: "web" },
  { namespace: "shop" },
  { team: "team-1" },
  ...SEVERITIES.map((severity) => ({ severity }) as VulnerabilityQuery),
  { fixable: true },
  { fixable: false },
  { packageClass: "os" },
  { packageClass: "application" },
  { status: "open" },
  { status: "excepted" },
  { team: "team-2", severity: "HIGH", fixable: true },
  { target: "gen-a", severity: "CRITICAL" },
];

/** Asserts the page's query equals `straightforward` for each query; returns the rows excepted somewhere. */
async function expectExact(db: Db, queries: (VulnerabilityQuery & ScopedFilter)[], at: Date, label = "") {
  let excepted = 0;
  for (const query of queries) {
    const expected = await straightforward(db, query, at);
    const got = await listFleetVulnerabilities(db, query, 100, at);
    const shown = got.rows.map(({ exceptedBy, severity, ...row }) => ({
      ...row,
      rank: REPORT_SEVERITIES.length - REPORT_SEVERITIES.indexOf(severity),
      excepted: exceptedBy !== null,
    }));
    const name = `${label} ${JSON.stringify(query)}`;
    expect(shown, name).toEqual(expected);
    expect([got.total, got.open], name).toEqual([
      expected.length,
      expected.filter((r) => (r.openWorkloads as number) > 0).length,
    ]);
    excepted += expected.filter((r) => r.excepted).length;
  }
  return excepted;
}

const fleetWide = (queries: VulnerabilityQuery[]) => queries.map((query) => ({ ...query, access: WHOLE_FLEET }));

/** A Trivy report of `image` scanned at `scannedAt`, with these findings (id, severity, fixed version). */
function imageReport(image: number, scannedAt: string, findings: [string, string, string][]) {
  return readReports(
    `app-${image}-${scannedAt}.json`,
    JSON.stringify({
      SchemaVersion: 2,
      CreatedAt: scannedAt,
      ArtifactName: `registry.test/app-${image}:1`,
      ArtifactType: "container_image",
      Metadata: { ImageID: digest(image) },
      Results: [
        {
          Target: "os",
          Class: "os-pkgs",
          Type: "debian",
          Vulnerabilities: findings.map(([id, severity, fixed], k) => ({
            VulnerabilityID: id,
            PkgName: `later-${k}`,
            InstalledVersion: "1.0",
            FixedVersion: fixed,
            Severity: severity,
          })),
        },
      ],
    }),
  );
}

describe("the fleet vulnerabilities query", () => {
  it("equals the straightforward per-container computation under every filter, VEX status and exception scope", async () => {
    const db = test.db;
    await generateFleet(db, prng(11));
    await exceptAndVex(db);
    const excepted = await expectExact(db, fleetWide(QUERIES), now);
    // The generated fleet exercises what it should: rows excepted somewhere, and filters that leave rows.
    expect(excepted).toBeGreaterThan(10);
    expect((await straightforward(db, { access: WHOLE_FLEET }, now)).length).toBeGreaterThan(5);
  });

  it("stays exact as containers, workloads, reports and exceptions change (the counts kept at write time)", async () => {
    const db = test.db;
    await generateFleet(db, prng(37), "keep", 200);
    await exceptAndVex(db, 200);
    const [a, b] = await Promise.all(["keep-a", "keep-b"].map((name) => db.target.findUniqueOrThrow({ where: { name } })));
    const scoped = [
      { access: { limits: [{ targets: [], namespaces: [], teams: ["team-1"] }] } },
      { access: { limits: [{ targets: [a!.id], namespaces: [{ targetId: b!.id, namespace: "web" }], teams: [] }] } },
      { severity: "HIGH", access: { limits: [{ targets: [b!.id], namespaces: [], teams: [] }] } },
    ] as (VulnerabilityQuery & ScopedFilter)[];
    const all = [...fleetWide(QUERIES.map((q) => (q.target ? { ...q, target: q.target.replace("gen", "keep") } : q))), ...scoped];
    // What the triggers keep, read back in a fixed order (a group's id aside: a rebuild numbers them anew).
    const stored = async () => ({
      reach: await db.$queryRaw<unknown[]>`SELECT * FROM "VulnerabilityReach" ORDER BY 1, 2, 3, 4, 5, 6`,
      groups: await db.$queryRaw<unknown[]>`
        SELECT "targetId", "namespace", "team", "reports", "containers", "workloads" FROM "ReachGroup" ORDER BY 1, 2, 3, 4`,
      matches: await db.$queryRaw<unknown[]>`SELECT * FROM "ContainerReport" ORDER BY 1, 2`,
      kinds: await db.$queryRaw<unknown[]>`SELECT * FROM "ReportKinds" ORDER BY 1`,
    });
    // After every kind of write: the page's answers equal the per-container computation, and the counts kept equal
    // those a rebuild from scratch gives (no level 0 row is kept any more: scope keys are summed from the groups).
    const check = async (label: string, at = now) => {
      const excepted = await expectExact(db, all, at, label);
      const kept = await stored();
      expect(kept.groups.length, label).toBeGreaterThan(3);
      expect(await db.vulnerabilityReach.count({ where: { level: 0 } }), label).toBe(0);
      await db.$executeRaw`SELECT "vulnerability_reach_rebuild"()`;
      expect(await stored(), `${label}: kept = rebuilt`).toEqual(kept);
      return excepted;
    };
    await check("generated");
    const running = () =>
      db.container.findMany({
        where: { goneAt: null, workload: { goneAt: null, target: { name: { startsWith: "keep" } } } },
        orderBy: { factsHash: "asc" },
      });
    const [first, second, third, fourth] = await running();
    // A container moving to another image, and to two; one going, one coming back.
    await db.container.update({ where: { id: first!.id }, data: { digests: [digest(205)] } });
    await db.container.update({ where: { id: second!.id }, data: { digests: [digest(201), digest(206)] } });
    await db.container.update({ where: { id: third!.id }, data: { goneAt: new Date() } });
    await check("containers moved and gone");
    // Several writes in one transaction: counted once, when it commits.
    await db.$transaction(async (tx) => {
      await tx.container.update({ where: { id: first!.id }, data: { digests: [digest(203)] } });
      await tx.container.update({ where: { id: fourth!.id }, data: { digests: [digest(204), digest(205)] } });
      await tx.container.update({ where: { id: first!.id }, data: { digests: [digest(202)] } });
    });
    expect(await db.$queryRaw<unknown[]>`SELECT 1 FROM "ReachPending"`).toEqual([]);
    await check("containers moved in one transaction");
    // As a poll writes them (lib/services/runs/record-statements.ts): one INSERT … ON CONFLICT DO UPDATE moving one
    // container and adding another.
    await db.$executeRaw`
      INSERT INTO "Container" ("id", "workloadId", "name", "image", "digest", "digests", "factsHash")
      VALUES (gen_random_uuid(), ${first!.workloadId}::uuid, ${first!.name}, 'app', ${digest(204)}, ARRAY[${digest(204)}], 'polled'),
        (gen_random_uuid(), ${first!.workloadId}::uuid, 'added', 'app', ${digest(201)}, ARRAY[${digest(201)}], 'polled')
      ON CONFLICT ("workloadId", "name") DO UPDATE SET "digests" = EXCLUDED."digests", "factsHash" = EXCLUDED."factsHash"`;
    await check("containers upserted by a poll");
    await db.container.updateMany({ where: { id: { in: [third!.id, fourth!.id] } }, data: { goneAt: null } });
    // Rewriting every container without moving one queues nothing; moving two queues them and one flush.
    const queued = () => db.$queryRaw<{ containers: string[]; flush: boolean }[]>`
      SELECT "containers", "flush" FROM "ReachPending" ORDER BY "id"`;
    await db.$transaction(async (tx) => {
      await tx.container.updateMany({ where: {}, data: { factsHash: "polled again" } });
      expect(await tx.$queryRaw<unknown[]>`SELECT * FROM "ReachPending"`).toEqual([]);
      await tx.container.updateMany({ where: { id: { in: [first!.id, second!.id] } }, data: { digests: [digest(206)] } });
      const pending = await tx.$queryRaw<{ containers: string[]; flush: boolean }[]>`
        SELECT "containers", "flush" FROM "ReachPending" ORDER BY "id"`;
      expect(pending.map((p) => p.flush).sort()).toEqual([false, false, true]);
      expect(pending.flatMap((p) => p.containers).sort()).toEqual([first!.id, second!.id].sort());
    });
    expect(await queued()).toEqual([]);
    await check("containers back");
    // Workloads: one gone, one moving team (label), one moving namespace, one deleted with its containers.
    const workloads = await db.workload.findMany({
      where: { goneAt: null, target: { name: { startsWith: "keep" } } },
      orderBy: { name: "asc" },
    });
    await db.workload.update({ where: { id: workloads[0]!.id }, data: { goneAt: new Date() } });
    await db.workload.update({ where: { id: workloads[1]!.id }, data: { labels: { team: "team-9" } } });
    await db.workload.update({ where: { id: workloads[2]!.id }, data: { namespace: "moved" } });
    await db.workload.delete({ where: { id: workloads[3]!.id } });
    await db.container.delete({ where: { id: (await running())[0]!.id } });
    await check("workloads changed");
    // A newer report supersedes image 3's; the first report of image 7, which containers already run.
    await ingestReports(db, imageReport(203, "2026-12-03T00:00:00Z", [[IDS[4]!, "CRITICAL", "2.0"], ["CVE-2098-77", "LOW", ""]]), { via: "upload" });
    const [seven] = await ingestReports(db, imageReport(207, "2026-12-03T00:00:00Z", [[IDS[0]!, "HIGH", "1.1"], [IDS[5]!, "MEDIUM", ""]]), { via: "upload" });
    expect(await db.containerReport.count({ where: { reportId: seven!.id } })).toBeGreaterThan(0);
    await check("reports superseded and new");
    // Retention prunes superseded reports; a current report deleted outright leaves its containers' counts.
    await db.scanReport.deleteMany({ where: { supersededAt: { not: null } } });
    const image1 = await db.reportDigest.findFirstOrThrow({ where: { digest: digest(201), report: { scansVulnerabilities: true } } });
    await db.scanReport.delete({ where: { id: image1.reportId } });
    await check("reports deleted");
    // Exceptions: one accepted, one revoked; later, the rest expire (no write: judged when read).
    const actor = { email: "sec@test", access: WHOLE_FLEET };
    const accepted = await createVulnerabilityException(
      db,
      { vulnerabilityId: "CVE-2098-77", reason: "later", owner: "sec", expiresAt: new Date("2026-12-20T00:00:00Z") },
      actor,
      now,
    );
    const [oldest] = await db.vulnerabilityException.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "asc" } });
    await revokeVulnerabilityException(db, oldest!.id, actor, now);
    await check("exception accepted, one revoked");
    await check("exceptions expired", new Date("2027-02-01T00:00:00Z"));
    expect(accepted.id).toBeTruthy();
    // A running report's rows changing (not something ingest does): counted again.
    await db.reportVulnerability.updateMany({ where: { vulnerabilityId: IDS[0] }, data: { severity: "LOW" } });
    await check("rows changed");
  });
});

describe("excepted in SQL (vulnerability-excepted.ts) and in matching (lib/reports/match.ts)", () => {
  it("agree on every running container's fixable HIGH/CRITICAL findings of a generated fleet", async () => {
    const db = test.db;
    await generateFleet(db, prng(23), "match", 100);
    await exceptAndVex(db, 100);
    const containers = await db.container.findMany({
      where: { goneAt: null, workload: { goneAt: null } },
      include: { workload: true },
    });
    const context = await loadReportContext(db, now);
    let judged = 0;
    let excepted = 0;
    for (const c of containers) {
      const facts = {
        platform: "kubernetes",
        name: c.name,
        image: c.image,
        imageDigests: c.digests.map((digest) => ({ kind: "repository", digest })),
        workload: { platform: "kubernetes", kind: c.workload.kind, name: c.workload.name, namespace: c.workload.namespace },
      } as unknown as ContainerFacts;
      const input = { workload: facts.workload, source: "db", labels: {}, containers: [facts] } as unknown as WorkloadInput;
      (await loadReportIndex(db, [input], context)).attach(input);
      const sql = await listWorkloadVulnerabilities(db, c.workloadId, 1000, now);
      for (const report of [facts.vulnerabilityReport, facts.dependencyReport]) {
        const value = report && "value" in report ? report.value : null;
        if (!value) continue;
        const inMatch = [
          ...value.fixableHighOrCritical.map((f) => [f.id, f.pkg, false] as const),
          ...(value.excepted ?? []).map((f) => [f.id, f.pkg, true] as const),
        ];
        for (const [id, pkg, isExcepted] of inMatch) {
          const rows = sql.vulnerabilities.filter(
            (v) => v.container === c.name && v.vulnerabilityId === id && v.package === pkg,
          );
          expect(rows.length, `${c.workload.name}/${c.name} ${id} ${pkg}`).toBeGreaterThan(0);
          for (const row of rows) expect(row.exceptedBy !== null, `${c.workload.name}/${c.name} ${id}`).toBe(isExcepted);
          judged += 1;
          if (isExcepted) excepted += 1;
        }
      }
    }
    expect(judged).toBeGreaterThan(20);
    expect(excepted).toBeGreaterThan(3);
  });
});
