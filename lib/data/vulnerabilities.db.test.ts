import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { readReports } from "@/lib/reports";
import { ingestReports } from "@/lib/services/reports";
import { listFleetVulnerabilities, listWorkloadVulnerabilities, parseVulnerabilityQuery } from "./vulnerabilities";

const test = setupTestDatabase();

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

interface Vuln {
  id: string;
  pkg: string;
  severity: string;
  fixed?: string;
}

/** A Trivy report for one image digest. */
async function ingest(db: Db, imageDigest: string, vulns: Vuln[], at = "2026-12-01T00:00:00Z") {
  const doc = {
    SchemaVersion: 2,
    CreatedAt: at,
    ArtifactName: "registry.test/app:1",
    ArtifactType: "container_image",
    Metadata: { ImageID: imageDigest },
    Results: [
      {
        Target: "app (debian 12)",
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: vulns.map((v) => ({
          VulnerabilityID: v.id,
          PkgName: v.pkg,
          InstalledVersion: "1.0",
          ...(v.fixed ? { FixedVersion: v.fixed } : {}),
          Severity: v.severity,
        })),
      },
    ],
  };
  return ingestReports(db, readReports("t.json", JSON.stringify(doc)), { via: "upload" });
}

async function workload(db: Db, targetName: string, name: string, digests: string[], gone = false) {
  const target =
    (await db.target.findUnique({ where: { name: targetName } })) ??
    (await db.target.create({ data: { name: targetName, platform: "docker", url: `unix:///${targetName}` } }));
  const w = await db.workload.create({
    data: { targetId: target.id, namespace: "", kind: "Container", name, labels: {}, namespaceLabels: {} },
  });
  return db.container.create({
    data: { workloadId: w.id, name, image: "registry.test/app:1", factsHash: name, digests, goneAt: gone ? new Date() : null },
  });
}

describe("fleet vulnerabilities", () => {
  it("counts workloads running each vulnerability, most affected first, filters by target, severity and fix", async () => {
    const db = test.db;
    // Image A runs in three workloads (one of them gone), image B in one on another target; image C in none.
    await ingest(db, digest(1), [
      { id: "CVE-A-HIGH", pkg: "openssl", severity: "HIGH", fixed: "1.1" },
      { id: "CVE-SHARED", pkg: "zlib", severity: "LOW" },
    ]);
    await ingest(db, digest(2), [
      { id: "CVE-SHARED", pkg: "zlib", severity: "MEDIUM", fixed: "1.3" },
      { id: "CVE-B-CRIT", pkg: "curl", severity: "CRITICAL", fixed: "8.0" },
    ]);
    await ingest(db, digest(3), [{ id: "CVE-NOBODY", pkg: "bash", severity: "CRITICAL", fixed: "5.2" }]);
    await workload(db, "host-a", "web", [digest(1)]);
    await workload(db, "host-a", "worker", [digest(1), digest(9)]);
    await workload(db, "host-a", "old", [digest(1)], true);
    await workload(db, "host-b", "api", [digest(2)]);

    const all = await listFleetVulnerabilities(db, {});
    expect(all.rows.map((r) => [r.vulnerabilityId, r.workloads, r.severity, r.fixable])).toEqual([
      ["CVE-SHARED", 3, "MEDIUM", true],
      ["CVE-A-HIGH", 2, "HIGH", true],
      ["CVE-B-CRIT", 1, "CRITICAL", true],
    ]);
    expect(all.total).toBe(3);
    expect(all.reports).toBe(3);
    expect(all.reportsNotRunning).toBe(1);
    expect(all.rows[0]).toMatchObject({ packages: ["zlib"], fixedVersion: "1.3", knownExploited: false });

    // One workload each on host-b: the more severe first.
    expect((await listFleetVulnerabilities(db, { target: "host-b" })).rows.map((r) => r.vulnerabilityId)).toEqual([
      "CVE-B-CRIT",
      "CVE-SHARED",
    ]);
    const low = await listFleetVulnerabilities(db, { severity: "LOW" });
    expect(low.rows.map((r) => [r.vulnerabilityId, r.workloads, r.fixable])).toEqual([["CVE-SHARED", 2, false]]);
    expect((await listFleetVulnerabilities(db, { fixable: false })).rows.map((r) => r.vulnerabilityId)).toEqual([
      "CVE-SHARED",
    ]);
    expect((await listFleetVulnerabilities(db, {}, 1)).total).toBe(3);
  });

  it("puts known-exploited vulnerabilities first, whatever their reach", async () => {
    const db = test.db;
    await ingest(db, digest(20), [{ id: "CVE-WIDE", pkg: "a", severity: "CRITICAL", fixed: "2" }]);
    await ingest(db, digest(21), [{ id: "CVE-KEV", pkg: "b", severity: "LOW" }]);
    // Trivy JSON carries no KEV flag (Grype's does): the row is marked as the Grype reader would mark it.
    await db.reportVulnerability.updateMany({ where: { vulnerabilityId: "CVE-KEV" }, data: { knownExploited: true } });
    await workload(db, "host-k", "one", [digest(20)]);
    await workload(db, "host-k", "two", [digest(20)]);
    await workload(db, "host-k", "three", [digest(21)]);
    const rows = (await listFleetVulnerabilities(db, { target: "host-k" })).rows;
    expect(rows.map((r) => [r.vulnerabilityId, r.knownExploited, r.workloads])).toEqual([
      ["CVE-KEV", true, 1],
      ["CVE-WIDE", false, 2],
    ]);
  });

  it("lists a workload's matched reports and only their fixable HIGH/CRITICAL vulnerabilities", async () => {
    const db = test.db;
    await ingest(db, digest(30), [
      { id: "CVE-W-CRIT", pkg: "curl", severity: "CRITICAL", fixed: "8.1" },
      { id: "CVE-W-HIGH", pkg: "openssl", severity: "HIGH", fixed: "3.1" },
      { id: "CVE-W-NOFIX", pkg: "glibc", severity: "CRITICAL" },
      { id: "CVE-W-MED", pkg: "zlib", severity: "MEDIUM", fixed: "1.4" },
    ]);
    const container = await workload(db, "host-w", "shop", [digest(31), digest(30)]);
    const other = await workload(db, "host-w", "clean", [digest(32)]);
    const found = await listWorkloadVulnerabilities(db, container.workloadId);
    expect(found.reports.map((r) => [r.container, r.digest, r.kind, r.scanner])).toEqual([
      ["shop", digest(30), "config", "Trivy"],
    ]);
    expect(found.vulnerabilities.map((v) => [v.vulnerabilityId, v.package, v.fixedVersion])).toEqual([
      ["CVE-W-CRIT", "curl", "8.1"],
      ["CVE-W-HIGH", "openssl", "3.1"],
    ]);
    expect(await listWorkloadVulnerabilities(db, other.workloadId)).toEqual({ reports: [], vulnerabilities: [] });
  });

  it("reads filters leniently: malformed values are dropped", () => {
    expect(parseVulnerabilityQuery({ severity: "HIGH", fixable: "yes", target: " t " })).toEqual({
      severity: "HIGH",
      fixable: true,
      target: "t",
    });
    expect(parseVulnerabilityQuery({ severity: "bad", fixable: "maybe", target: "a\u0000b" })).toEqual({});
  });
});
