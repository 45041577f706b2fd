import { describe, expect, it } from "vitest";
import { accessOf, WHOLE_FLEET } from "@/lib/scope/access-scope";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { readReports } from "@/lib/reports";
import { createVulnerabilityException, ingestReports } from "@/lib/services/reports";
import { listFleetVulnerabilities, listWorkloadVulnerabilities } from "./vulnerabilities";

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

    const all = await listFleetVulnerabilities(db, { access: WHOLE_FLEET });
    expect(all.rows.map((r) => [r.vulnerabilityId, r.workloads, r.severity, r.fixable])).toEqual([
      ["CVE-SHARED", 3, "MEDIUM", true],
      ["CVE-A-HIGH", 2, "HIGH", true],
      ["CVE-B-CRIT", 1, "CRITICAL", true],
    ]);
    expect(all.total).toBe(3);
    expect(all.reports).toBe(3);
    expect(all.reportsNotRunning).toBe(1);
    // Within a scope: the reports of images running there only; a report nothing runs belongs to no scope.
    const hostB = await db.target.findUniqueOrThrow({ where: { name: "host-b" } });
    const scoped = await listFleetVulnerabilities(db, { access: accessOf({ targets: [hostB.id], namespaces: [], teams: [] }) });
    expect([scoped.reports, scoped.reportsNotRunning]).toEqual([1, null]);
    expect(scoped.rows.map((r) => r.vulnerabilityId).sort()).toEqual(["CVE-B-CRIT", "CVE-SHARED"]);
    const filtered = await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "host-a" });
    expect([filtered.reports, filtered.reportsNotRunning]).toEqual([1, null]);
    const nothing = await listFleetVulnerabilities(db, { access: accessOf({ targets: [], namespaces: [], teams: ["nobody"] }) });
    expect([nothing.reports, nothing.total]).toEqual([0, 0]);
    expect(all.rows[0]).toMatchObject({ packages: ["zlib"], fixedVersion: "1.3", knownExploited: false });

    // One workload each on host-b: the more severe first.
    expect((await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "host-b" })).rows.map((r) => r.vulnerabilityId)).toEqual([
      "CVE-B-CRIT",
      "CVE-SHARED",
    ]);
    const low = await listFleetVulnerabilities(db, { access: WHOLE_FLEET, severity: "LOW" });
    expect(low.rows.map((r) => [r.vulnerabilityId, r.workloads, r.fixable])).toEqual([["CVE-SHARED", 2, false]]);
    expect((await listFleetVulnerabilities(db, { access: WHOLE_FLEET, fixable: false })).rows.map((r) => r.vulnerabilityId)).toEqual([
      "CVE-SHARED",
    ]);
    expect((await listFleetVulnerabilities(db, { access: WHOLE_FLEET }, 1)).total).toBe(3);
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
    const rows = (await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "host-k" })).rows;
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
});

/** A workload with labels in a namespace, one container running `image` with these digests. */
async function placed(db: Db, o: { name: string; namespace: string; team?: string; image?: string; digests: string[] }) {
  const target =
    (await db.target.findUnique({ where: { name: "cluster-f" } })) ??
    (await db.target.create({ data: { name: "cluster-f", platform: "kubernetes", url: "https://cluster-f" } }));
  const w = await db.workload.create({
    data: {
      targetId: target.id,
      namespace: o.namespace,
      kind: "Deployment",
      name: o.name,
      labels: o.team ? { team: o.team } : {},
      namespaceLabels: {},
    },
  });
  return db.container.create({
    data: { workloadId: w.id, name: "app", image: o.image ?? "registry.test/app:1", factsHash: o.name, digests: o.digests },
  });
}

function openVex(imageDigest: string, vulnerability: string, justification: string) {
  return JSON.stringify({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": `https://vex.test/${vulnerability}`,
    author: "security@test",
    timestamp: "2026-12-01T00:00:00Z",
    version: 1,
    statements: [
      {
        vulnerability: { name: vulnerability },
        products: [{ "@id": `pkg:oci/app@${imageDigest.replace(":", "%3A")}` }],
        status: "not_affected",
        justification,
      },
    ],
  });
}

describe("fleet vulnerabilities by scope, package class, VEX and exceptions", () => {
  it("filters by namespace, team and package class, and shows VEX and exceptions as excepted, not open", async () => {
    const db = test.db;
    const appDoc = {
      SchemaVersion: 2,
      CreatedAt: "2026-12-01T00:00:00Z",
      ArtifactName: "registry.test/shop:2",
      ArtifactType: "container_image",
      Metadata: { ImageID: digest(40) },
      Results: [
        {
          Target: "os",
          Class: "os-pkgs",
          Type: "debian",
          Vulnerabilities: [
            { VulnerabilityID: "CVE-F-OS", PkgName: "openssl", InstalledVersion: "1", FixedVersion: "2", Severity: "HIGH" },
            { VulnerabilityID: "CVE-F-VEX", PkgName: "bash", InstalledVersion: "1", FixedVersion: "2", Severity: "HIGH" },
          ],
        },
        {
          Target: "package-lock.json",
          Class: "lang-pkgs",
          Type: "npm",
          Vulnerabilities: [
            { VulnerabilityID: "GHSA-f-app", PkgName: "semver", InstalledVersion: "5", FixedVersion: "7", Severity: "CRITICAL" },
          ],
        },
      ],
    };
    await ingestReports(db, readReports("shop.json", JSON.stringify(appDoc)), { via: "upload" });
    await ingestReports(db, readReports("vex.json", openVex(digest(40), "CVE-F-VEX", "vulnerable_code_not_present")), {
      via: "upload",
    });
    await placed(db, { name: "cart", namespace: "shop", team: "payments", image: "registry.test/shop:2", digests: [digest(40)] });
    await placed(db, { name: "search", namespace: "web", image: "registry.test/shop:2", digests: [digest(40)] });

    const ids = async (query: Omit<Parameters<typeof listFleetVulnerabilities>[1], "access">) =>
      (await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f", ...query })).rows.map((r) => r.vulnerabilityId);
    expect(await ids({ packageClass: "application" })).toEqual(["GHSA-f-app"]);
    expect(await ids({ packageClass: "os" })).toEqual(["CVE-F-OS", "CVE-F-VEX"]);
    const inShop = await listFleetVulnerabilities(db, { access: WHOLE_FLEET, namespace: "shop" });
    expect(inShop.rows.map((r) => [r.vulnerabilityId, r.workloads])).toEqual([
      ["GHSA-f-app", 1],
      ["CVE-F-OS", 1],
      ["CVE-F-VEX", 1],
    ]);
    expect(await ids({ team: "payments", severity: "CRITICAL" })).toEqual(["GHSA-f-app"]);
    expect(await ids({ team: "nobody" })).toEqual([]);

    // VEX: excepted everywhere the image runs, listed after the open ones with its justification.
    const all = await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f" });
    const vex = all.rows.find((r) => r.vulnerabilityId === "CVE-F-VEX");
    expect(vex).toMatchObject({ workloads: 2, openWorkloads: 0, openContainers: 0 });
    expect(vex?.exceptedBy).toEqual({ kind: "vex", status: "not_affected", justification: "vulnerable_code_not_present" });
    expect(all.rows.at(-1)?.vulnerabilityId).toBe("CVE-F-VEX");
    expect([all.total, all.open]).toEqual([3, 2]);

    // An exception for one workload: open in the other; for the repository: excepted everywhere.
    const now = new Date("2026-12-05T00:00:00Z");
    const later = new Date("2027-01-05T00:00:00Z");
    await createVulnerabilityException(
      db,
      { vulnerabilityId: "CVE-F-OS", workload: "cart", reason: "not reachable", owner: "payments", expiresAt: later },
      { email: "sec@test", access: WHOLE_FLEET },
      now,
    );
    let os = (await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f" }, 100, now)).rows.find(
      (r) => r.vulnerabilityId === "CVE-F-OS",
    );
    expect(os).toMatchObject({ workloads: 2, openWorkloads: 1 });
    expect(os?.exceptedBy).toMatchObject({ kind: "exception", reason: "not reachable", owner: "payments" });
    await createVulnerabilityException(
      db,
      { vulnerabilityId: "CVE-F-OS", image: "registry.test/shop", reason: "base image", owner: "platform", expiresAt: later },
      { email: "sec@test", access: WHOLE_FLEET },
      now,
    );
    const excepted = await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f", status: "excepted" }, 100, now);
    expect(excepted.rows.map((r) => r.vulnerabilityId)).toEqual(["CVE-F-OS", "CVE-F-VEX"]);
    expect((await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f", status: "open" }, 100, now)).rows.map((r) => r.vulnerabilityId)).toEqual(["GHSA-f-app"]);
    // After the expiry both exceptions stop applying by themselves.
    os = (await listFleetVulnerabilities(db, { access: WHOLE_FLEET, target: "cluster-f" }, 100, new Date("2027-02-01T00:00:00Z"))).rows.find(
      (r) => r.vulnerabilityId === "CVE-F-OS",
    );
    expect(os).toMatchObject({ openWorkloads: 2, exceptedBy: null });

    // The workload tab: its fixable HIGH/CRITICAL rows, open before excepted, each with why.
    const cart = await db.workload.findFirstOrThrow({ where: { name: "cart" } });
    const tab = await listWorkloadVulnerabilities(db, cart.id, 200, now);
    expect(tab.vulnerabilities.map((v) => [v.vulnerabilityId, v.packageClass, v.exceptedBy?.kind ?? "open"])).toEqual([
      ["GHSA-f-app", "application", "open"],
      ["CVE-F-OS", "os", "exception"],
      ["CVE-F-VEX", "os", "vex"],
    ]);
  });
});
