import { readFile } from "node:fs/promises";
import { accessOf, WHOLE_FLEET } from "@/lib/scope/access-scope";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { readReportFiles, readReports, type ScanReport } from "@/lib/reports";
import { runMaintenance } from "@/lib/services/maintenance";
import { ingestReports } from "./ingest-reports";
import {
  createVulnerabilityException,
  listActiveVulnerabilityExceptions,
  revokeVulnerabilityException,
} from "./vulnerability-exceptions";

const test = setupTestDatabase();
const CORPUS = path.resolve(__dirname, "../../../../shared/corpus/reports");
const DAY = 86_400_000;

async function corpusReport(file: string): Promise<ScanReport> {
  return readReports(file, await readFile(path.join(CORPUS, file), "utf8"))[0]!;
}

function digestOf(n: number): string {
  return `sha256:${n.toString(16).padStart(64, "0")}`;
}

/** A Trivy report of one image, dated, with one fixable critical OS vulnerability. */
function trivyReport(digest: string, scannedAt: string, cve = "CVE-2024-0001"): ScanReport {
  const doc = {
    SchemaVersion: 2,
    CreatedAt: scannedAt,
    ArtifactName: "registry.test/app:1",
    ArtifactType: "container_image",
    Metadata: { ImageID: digest },
    Results: [
      {
        Target: "app (alpine 3.19)",
        Class: "os-pkgs",
        Type: "alpine",
        Vulnerabilities: [
          {
            VulnerabilityID: cve,
            PkgName: "openssl",
            InstalledVersion: "3.0.1",
            FixedVersion: "3.0.2",
            Severity: "CRITICAL",
          },
        ],
      },
    ],
  };
  return readReports("t.json", JSON.stringify(doc))[0]!;
}

async function tableText(): Promise<string> {
  const tables = ["ScanReport", "ReportDigest", "ReportVulnerability", "VexStatement", "AuditLog"];
  const rows = await Promise.all(
    tables.map((t) =>
      test.db.$queryRaw<{ j: unknown }[]>(Prisma.sql`SELECT row_to_json(x) AS j FROM ${Prisma.raw(`"${t}"`)} x`),
    ),
  );
  return JSON.stringify(rows);
}

describe("ingestReports", () => {
  it("stores every corpus report whole, once per content hash", async () => {
    const dirs = ["trivy", "grype", "trivy-operator", "vex"].map((d) => path.join(CORPUS, d));
    const { reports } = await readReportFiles(dirs);
    const first = await ingestReports(
      test.db,
      reports.map((r) => r.report),
      { via: "cli" },
    );
    expect(first.every((r) => r.status !== "unchanged")).toBe(true);
    for (const [i, { report }] of reports.entries()) {
      const id = first[i]!.id;
      expect(await test.db.reportVulnerability.count({ where: { reportId: id } })).toBe(report.vulnerabilities.length);
      expect(await test.db.vexStatement.count({ where: { reportId: id } })).toBe(report.statements.length);
      expect(await test.db.reportDigest.count({ where: { reportId: id } })).toBe(
        new Set(report.digests.map((d) => d.digest)).size,
      );
    }
    const before = await test.db.reportVulnerability.count();
    const again = await ingestReports(
      test.db,
      reports.map((r) => r.report),
      { via: "api" },
    );
    expect(again.map((r) => r.status)).toEqual(reports.map(() => "unchanged"));
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(await test.db.reportVulnerability.count()).toBe(before);
  });

  it("a newer report supersedes the older one of the same image; an older one never replaces a newer", async () => {
    const digest = digestOf(101);
    const [mid] = await ingestReports(test.db, [trivyReport(digest, "2026-05-10T00:00:00Z")], { via: "cli" });
    const [late] = await ingestReports(test.db, [trivyReport(digest, "2026-05-20T00:00:00Z")], { via: "cli" });
    const [early] = await ingestReports(test.db, [trivyReport(digest, "2026-05-01T00:00:00Z")], { via: "cli" });
    expect([mid?.status, late?.status, early?.status]).toEqual(["stored", "stored", "older"]);
    const current = await test.db.scanReport.findMany({
      where: { digests: { some: { digest } }, supersededAt: null },
      select: { id: true },
    });
    expect(current.map((r) => r.id)).toEqual([late?.id]);
    const other = await ingestReports(test.db, [trivyReport(digestOf(102), "2026-05-02T00:00:00Z")], { via: "cli" });
    expect(other[0]?.status).toBe("stored");
  });

  it("within one batch too: the newest of an image stays current whatever the order, a repeat is unchanged", async () => {
    const digest = digestOf(151);
    const a = trivyReport(digest, "2026-05-10T00:00:00Z", "CVE-2024-0151");
    const b = trivyReport(digest, "2026-05-20T00:00:00Z", "CVE-2024-0152");
    const c = trivyReport(digest, "2026-05-01T00:00:00Z", "CVE-2024-0153");
    const other = trivyReport(digestOf(152), "2026-05-01T00:00:00Z");
    const results = await ingestReports(test.db, [a, b, other, c, b], { via: "cli" });
    expect(results.map((r) => r.status)).toEqual(["older", "stored", "stored", "older", "unchanged"]);
    expect(results[4]?.id).toBe(results[1]?.id);
    const current = await test.db.scanReport.findMany({
      where: { digests: { some: { digest } }, supersededAt: null },
      select: { id: true },
    });
    expect(current.map((r) => r.id)).toEqual([results[1]?.id]);
    const counts = await Promise.all(
      results.map((r) => test.db.reportVulnerability.count({ where: { reportId: r.id } })),
    );
    expect(counts).toEqual([1, 1, 1, 1, 1]);
    const tie = trivyReport(digest, "2026-05-20T00:00:00Z", "CVE-2024-0154");
    const [later] = await ingestReports(test.db, [tie], { via: "cli" });
    expect(later?.status).toBe("stored");
    expect(
      await test.db.scanReport.findMany({
        where: { digests: { some: { digest } }, supersededAt: null },
        select: { id: true },
      }),
    ).toEqual([{ id: later?.id }]);
  });

  it("prunes superseded reports past the retention and keeps current ones", async () => {
    const digest = digestOf(201);
    const now = new Date("2026-06-01T00:00:00Z");
    const [old] = await ingestReports(test.db, [trivyReport(digest, "2026-04-01T00:00:00Z")], {
      via: "cli",
      now: new Date(now.getTime() - 40 * DAY),
    });
    const [current] = await ingestReports(test.db, [trivyReport(digest, "2026-04-20T00:00:00Z")], {
      via: "cli",
      now: new Date(now.getTime() - 35 * DAY),
    });
    const result = await runMaintenance(test.db, { now });
    expect(result.reportsDeleted).toBeGreaterThanOrEqual(1);
    expect(await test.db.scanReport.findUnique({ where: { id: old!.id } })).toBeNull();
    expect(await test.db.reportVulnerability.count({ where: { reportId: old!.id } })).toBe(0);
    expect(await test.db.scanReport.findUnique({ where: { id: current!.id } })).not.toBeNull();
  });

  it("never stores a secret's matched text", async () => {
    const doc = JSON.parse(await readFile(path.join(CORPUS, "trivy/secrets.json"), "utf8"));
    const planted = "PLANTED-SECRET-db-51c0ffee";
    doc.Results[0].Secrets[0].Match = `key = ${planted}`;
    doc.Results[0].Secrets[0].Code.Lines[0].Content = planted;
    const [stored] = await ingestReports(test.db, readReports("s.json", JSON.stringify(doc)), { via: "api" });
    const row = await test.db.scanReport.findUniqueOrThrow({ where: { id: stored!.id } });
    expect(row.secrets).toContainEqual(
      expect.objectContaining({ ruleId: doc.Results[0].Secrets[0].RuleID, file: "deploy.sh" }),
    );
    expect(await tableText()).not.toContain(planted);
    expect(await tableText()).not.toContain("ghp_0123456789");
  });

  it("keeps trivy-operator subjects and OpenVEX products", async () => {
    const [op] = await ingestReports(test.db, [await corpusReport("trivy-operator/vulnerability-ttl.yaml")], {
      via: "cluster",
    });
    const row = await test.db.scanReport.findUniqueOrThrow({ where: { id: op!.id } });
    expect([row.subjectNamespace, row.subjectKind, row.subjectName, row.subjectContainer]).toEqual([
      "kube-system",
      "ReplicaSet",
      "coredns-558bd4d5db",
      "coredns",
    ]);
    const [vex] = await ingestReports(test.db, [await corpusReport("vex/openvex-oci-attach.json")], { via: "cli" });
    const statements = await test.db.vexStatement.findMany({
      where: { reportId: vex!.id },
      orderBy: { vulnerabilityId: "asc" },
    });
    expect(statements.map((s) => [s.vulnerabilityId, s.status])).toContainEqual(["CVE-2016-20013", "not_affected"]);
    expect(statements[0]?.products).toEqual([
      "sha256:8b95adbdf01ad43043ea9b63d6ac56abbe0e81b67fe40a27c39b6b83488f70ce",
    ]);
  });
});

describe("vulnerability exceptions", () => {
  it("are created and revoked with an audit row, and stop applying when revoked or expired", async () => {
    const now = new Date();
    const actor = { email: "sec@example.test", access: WHOLE_FLEET };
    const kept = await createVulnerabilityException(
      test.db,
      {
        vulnerabilityId: "CVE-2024-3094",
        image: "registry.test/app",
        reason: "not reachable",
        owner: "team-a",
        expiresAt: new Date(now.getTime() + DAY),
      },
      actor,
      now,
    );
    const revoked = await createVulnerabilityException(
      test.db,
      {
        vulnerabilityId: "GHSA-aaaa-bbbb-cccc",
        reason: "vendor fix pending",
        owner: "team-b",
        expiresAt: new Date(now.getTime() + DAY),
      },
      actor,
      now,
    );
    await revokeVulnerabilityException(test.db, revoked.id, actor, now);
    const active = await listActiveVulnerabilityExceptions(test.db, now);
    expect(active.map((e) => e.id)).toContain(kept.id);
    expect(active.map((e) => e.id)).not.toContain(revoked.id);
    expect(
      (await listActiveVulnerabilityExceptions(test.db, new Date(now.getTime() + 2 * DAY))).map((e) => e.id),
    ).not.toContain(kept.id);
    const audit = await test.db.auditLog.findMany({
      where: { target: { in: [kept.id, revoked.id] } },
      select: { action: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual([
      "vulnerability-exception.created",
      "vulnerability-exception.created",
      "vulnerability-exception.revoked",
    ]);
    await expect(
      createVulnerabilityException(
        test.db,
        { vulnerabilityId: "x; DROP", reason: "r", owner: "o", expiresAt: new Date(now.getTime() + DAY) },
        actor,
      ),
    ).rejects.toThrow(/not a vulnerability id/);
    const scoped = { ...actor, access: accessOf({ targets: ["a-target-id"], namespaces: [], teams: [] }) };
    const input = {
      vulnerabilityId: "CVE-2024-0001",
      reason: "r",
      owner: "o",
      expiresAt: new Date(now.getTime() + DAY),
    };
    await expect(createVulnerabilityException(test.db, input, scoped)).rejects.toThrow(/whole fleet/);
    await expect(revokeVulnerabilityException(test.db, kept.id, scoped)).rejects.toThrow(/whole fleet/);
    expect((await listActiveVulnerabilityExceptions(test.db, now)).map((e) => e.id)).toContain(kept.id);
    expect(await test.db.vulnerabilityException.count({ where: { vulnerabilityId: "CVE-2024-0001" } })).toBe(0);
  });
});
