import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { FRAMEWORK_IDS } from "@/lib/frameworks";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { getAuditReport } from "./audit-report";
import { getComplianceMatrix } from "./compliance-matrix";
import { getOverview, listPodSecurity } from "./overview";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const dayAgo = (days: number) => ago(days).toISOString().slice(0, 10);

type Event = [kind: string, daysAgo: number];
interface Spec {
  name: string;
  target: "shop" | "ops";
  severity: string;
  checkId: string;
  status: string;
  firstSeen: number;
  events?: Event[];
}

// Each finding's story: when it was first seen, and its status changes since.
const FINDINGS: Spec[] = [
  { name: "always-open", target: "shop", severity: "critical", checkId: "not-privileged", status: "open", firstSeen: 41 },
  { name: "resolved-20", target: "shop", severity: "high", checkId: "run-as-non-root", status: "resolved", firstSeen: 40, events: [["resolved", 20]] },
  { name: "reopened-15", target: "shop", severity: "high", checkId: "no-host-namespaces", status: "open", firstSeen: 40, events: [["resolved", 30], ["reopened", 15]] },
  { name: "excepted-at-sight", target: "shop", severity: "critical", checkId: "no-secrets-in-image", status: "excepted", firstSeen: 40, events: [["excepted", 40]] },
  { name: "new-5", target: "ops", severity: "critical", checkId: "not-privileged", status: "open", firstSeen: 5 },
  { name: "ops-high", target: "ops", severity: "high", checkId: "run-as-non-root", status: "open", firstSeen: 25 },
  { name: "medium", target: "shop", severity: "medium", checkId: "seccomp-profile", status: "open", firstSeen: 40 },
];

const ids = new Map<string, string>();
const findingIds = new Map<string, string>();

async function seed(db: Db) {
  for (const name of ["shop", "ops"]) {
    const target = await db.target.create({ data: { name, platform: "kubernetes", url: `https://${name}` } });
    ids.set(name, target.id);
    const workload = await db.workload.create({
      data: {
        targetId: target.id,
        namespace: name === "shop" ? "web" : "infra",
        kind: "Deployment",
        name: `${name}-app`,
        labels: { team: name === "shop" ? "payments" : "platform" },
        podSecurity: {
          baseline: { allowed: name === "ops", violations: name === "ops" ? [] : ["privileged"] },
          restricted: { allowed: false, violations: ["runAsNonRoot"] },
        },
      },
    });
    ids.set(`${name}/container`, (await db.container.create({ data: { workloadId: workload.id, name: "main", image: "app:1", factsHash: name } })).id);
  }
  for (const spec of FINDINGS) {
    const finding = await db.finding.create({
      data: {
        containerId: ids.get(`${spec.target}/container`) as string,
        checkId: spec.checkId,
        status: spec.status,
        severity: spec.severity,
        message: spec.name,
        firstSeenAt: ago(spec.firstSeen),
        events: { create: (spec.events ?? []).map(([kind, days]) => ({ kind, at: ago(days) })) },
      },
    });
    findingIds.set(spec.name, finding.id);
  }
  const exception = (name: string, created: number, expires: number, extra: object = {}) =>
    db.exception.create({
      data: { checkId: "not-privileged", reason: name, owner: `${name}-owner`, createdBy: "reviewer", createdAt: ago(created), expiresAt: ago(expires), ...extra },
    });
  await exception("fleet-long", 50, -10);
  await exception("expired-20", 50, 20);
  await exception("revoked-12", 50, -30, { revokedAt: ago(12), revokedBy: "lead" });
  await exception("new-5", 5, -30);
  await exception("short-30", 30, 15);
  await exception("ops-only", 50, -10, { targetId: ids.get("ops") });
  await exception("shop-web", 50, -10, { targetId: ids.get("shop"), namespace: "web" });
  // Rollups: 40 days ago, then 11 days ago for the shop's run-as-non-root (the rest carries forward).
  const rollup = async (target: string, namespace: string, team: string, checkId: string, passed: number, failed: number, days: number) => {
    const targetId = ids.get(target) as string;
    await db.runRollup.create({ data: { targetId, namespace, team, checkId, passed, failed, at: ago(days) } });
    await db.$executeRaw`
      INSERT INTO "RollupLatest" ("targetId", "namespace", "team", "checkId", "passed", "failed", "at")
      VALUES (${targetId}::uuid, ${namespace}, ${team}, ${checkId}, ${passed}, ${failed}, ${ago(days)})
      ON CONFLICT ("targetId", "namespace", "team", "checkId") DO UPDATE
      SET "passed" = EXCLUDED."passed", "failed" = EXCLUDED."failed", "at" = EXCLUDED."at"`;
  };
  await rollup("shop", "web", "payments", "run-as-non-root", 1, 3, 40);
  await rollup("shop", "web", "payments", "not-privileged", 3, 1, 40);
  await rollup("ops", "infra", "platform", "run-as-non-root", 2, 2, 40);
  await rollup("shop", "web", "payments", "run-as-non-root", 3, 1, 11);
}

beforeAll(async () => {
  await seed(database.db);
});

const names = (report: Awaited<ReturnType<typeof getAuditReport>>) =>
  report.findings.map((f) => [...findingIds].find(([, id]) => id === f.id)?.[0]).sort();
const control = (report: Awaited<ReturnType<typeof getAuditReport>>, framework: string, id: string) =>
  report.frameworks.find((f) => f?.framework.id === framework)?.controls.find((c) => c.id === id);

describe("the auditor report today equals the dashboard's read models", () => {
  for (const scope of [{}, { target: "shop" }, { team: "platform" }, { target: "shop", namespace: "web" }]) {
    it(`open critical/high = the overview's counts, compliance = the matrix's cells: ${JSON.stringify(scope)}`, async () => {
      const report = await getAuditReport({ scope: { ...(scope), access: WHOLE_FLEET }, date: dayAgo(0), now: NOW });
      const overview = await getOverview({ ...scope, access: WHOLE_FLEET });
      expect(report.isToday).toBe(true);
      expect(report.openCount).toEqual({ critical: overview.openBySeverity.critical, high: overview.openBySeverity.high });
      expect(report.findings).toHaveLength(report.openCount.critical + report.openCount.high);
      const pss = await listPodSecurity({ ...scope, access: WHOLE_FLEET });
      const levels = report.frameworks.find((f) => f?.framework.id === "pod-security")?.levels;
      expect(levels?.find((l) => l.level === "baseline")?.allowed).toBe(pss.reduce((sum, row) => sum + row.baseline, 0));
      expect(levels?.find((l) => l.level === "restricted")?.judged).toBe(pss.reduce((sum, row) => sum + row.workloads, 0));
    });
  }

  it("a control's counts are the matrix cell of its one check, per target", async () => {
    const matrix = await getComplianceMatrix("target", WHOLE_FLEET);
    for (const target of ["shop", "ops"]) {
      const report = await getAuditReport({ scope: { ...({ target }), access: WHOLE_FLEET }, date: dayAgo(0), now: NOW });
      const cell = matrix.rows.find((row) => row.checkId === "run-as-non-root")?.cells[target];
      expect(control(report, "cis-kubernetes", "5.2.7")).toMatchObject({ passed: cell?.passed, failed: cell?.failed });
    }
  });

  it("lists findings oldest first with their age in whole days, and the exceptions in force in the scope", async () => {
    const report = await getAuditReport({ scope: { ...({ target: "shop" }), access: WHOLE_FLEET }, date: dayAgo(0), now: NOW });
    expect(names(report)).toEqual(["always-open", "reopened-15"]);
    expect(report.findings[0]).toMatchObject({ severity: "critical", ageDays: 41, targetName: "shop", namespace: "web" });
    expect(report.exceptions.map((x) => x.reason).sort()).toEqual(["fleet-long", "new-5", "shop-web"]);
    const fleet = await getAuditReport({ scope: { ...({}), access: WHOLE_FLEET }, date: dayAgo(0), now: NOW });
    expect(fleet.exceptions.map((x) => x.reason).sort()).toEqual(["fleet-long", "new-5", "ops-only", "shop-web"]);
    expect(fleet.exceptions.find((x) => x.reason === "fleet-long")).toMatchObject({
      owner: "fleet-long-owner",
      createdBy: "reviewer",
      targetName: null,
      expiresAt: ago(-10).toISOString(),
    });
    expect(fleet.exceptions.at(-1)?.reason).toBe("new-5");
  });
});

describe("the auditor report of a past day reads history at that day's end", () => {
  it("open findings from their events: resolved, reopened and excepted-at-sight ones as they stood", async () => {
    const tenDaysAgo = await getAuditReport({ scope: { ...({}), access: WHOLE_FLEET }, date: dayAgo(10), now: NOW });
    expect(tenDaysAgo.isToday).toBe(false);
    expect(names(tenDaysAgo)).toEqual(["always-open", "ops-high", "reopened-15"]);
    expect(tenDaysAgo.openCount).toEqual({ critical: 1, high: 2 });
    expect(tenDaysAgo.findings.find((f) => f.id === findingIds.get("always-open"))?.ageDays).toBe(31);
    const twentyFive = await getAuditReport({ scope: { ...({ target: "shop" }), access: WHOLE_FLEET }, date: dayAgo(25), now: NOW });
    expect(names(twentyFive)).toEqual(["always-open", "resolved-20"]);
  });

  it("exceptions in force then: created by then, not expired or revoked by then", async () => {
    const tenDaysAgo = await getAuditReport({ scope: { ...({}), access: WHOLE_FLEET }, date: dayAgo(10), now: NOW });
    expect(tenDaysAgo.exceptions.map((x) => x.reason).sort()).toEqual(["fleet-long", "ops-only", "shop-web"]);
    const twentyFive = await getAuditReport({ scope: { ...({ target: "ops" }), access: WHOLE_FLEET }, date: dayAgo(25), now: NOW });
    expect(twentyFive.exceptions.map((x) => x.reason).sort()).toEqual(["expired-20", "fleet-long", "ops-only", "revoked-12", "short-30"]);
  });

  it("compliance from the rollups carried forward, Pod Security not kept, and the changes since the previous report", async () => {
    const report = await getAuditReport({ scope: { ...({ target: "shop" }), access: WHOLE_FLEET }, date: dayAgo(10), now: NOW });
    expect(report.previous).toBe(dayAgo(40));
    expect(control(report, "cis-kubernetes", "5.2.7")).toMatchObject({ passed: 3, failed: 1, compliance: 75 });
    expect(control(report, "cis-kubernetes", "5.2.2")).toMatchObject({ passed: 3, failed: 1 });
    expect(report.frameworks[FRAMEWORK_IDS.indexOf("pod-security")]).toBeNull();
    expect(report.changes.controls).toContainEqual({ frameworkId: "cis-kubernetes", controlId: "5.2.7", title: expect.any(String), before: 25, after: 75 });
    expect(report.changes.controls.some((c) => c.controlId === "5.2.2")).toBe(false);
    // Between the end of day -40 and the end of day -10: short-30 added; expired-20, short-30 and revoked-12 ended.
    expect(report.changes.exceptionsAdded).toBe(1);
    expect(report.changes.exceptionsEnded).toBe(3);
    // Opened: reopened-15's reopening (the shop's first sights were at -40, before the window); resolved: resolved-20
    // at -20 and reopened-15 at -30.
    expect(report.changes.activity).toMatchObject({ opened: 1, resolved: 2 });
  });
});
