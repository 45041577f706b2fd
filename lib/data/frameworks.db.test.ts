import { beforeAll, describe, expect, it } from "vitest";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { FRAMEWORKS } from "@/lib/frameworks";
import type { FleetFilter } from "@/lib/scope/fleet-scope";
import { getComplianceMatrix } from "./compliance-matrix";
import { getFrameworkCompliance, type FrameworkCompliance } from "./frameworks";
import { listPodSecurity } from "./overview";

const database = setupTestDatabase({ processDb: true });
const DAY = 86_400_000;
const TODAY = new Date();
const day = (daysAgo: number) => new Date(TODAY.getTime() - daysAgo * DAY).toISOString().slice(0, 10);

const TARGETS = { dock: "docker", kube: "kubernetes", kube2: "kubernetes" } as const;
type TargetName = keyof typeof TARGETS;

interface Row {
  target: TargetName;
  namespace: string;
  team: string;
  checkId: string;
  passed: number;
  failed: number;
}

// Twenty days ago, then yesterday (some keys change, the rest carry forward).
const BEFORE: Row[] = [
  { target: "dock", namespace: "", team: "", checkId: "drop-all-capabilities", passed: 1, failed: 4 },
  { target: "dock", namespace: "", team: "", checkId: "no-added-capabilities", passed: 4, failed: 1 },
  { target: "dock", namespace: "", team: "", checkId: "not-privileged", passed: 5, failed: 0 },
  { target: "kube", namespace: "shop", team: "payments", checkId: "drop-all-capabilities", passed: 0, failed: 3 },
  { target: "kube", namespace: "shop", team: "payments", checkId: "run-as-non-root", passed: 1, failed: 2 },
  { target: "kube2", namespace: "ops", team: "platform", checkId: "run-as-non-root", passed: 4, failed: 0 },
];
const AFTER: Row[] = [
  { target: "dock", namespace: "", team: "", checkId: "drop-all-capabilities", passed: 3, failed: 2 },
  { target: "kube", namespace: "shop", team: "payments", checkId: "drop-all-capabilities", passed: 2, failed: 1 },
  { target: "kube", namespace: "shop", team: "payments", checkId: "no-added-capabilities", passed: 3, failed: 0 },
  { target: "kube", namespace: "ops", team: "platform", checkId: "run-as-non-root", passed: 2, failed: 2 },
];

const ids = new Map<string, string>();

async function addRollups(db: Db, at: Date, rows: Row[]) {
  for (const { target, ...row } of rows) {
    const targetId = ids.get(target) as string;
    await db.runRollup.create({ data: { ...row, targetId, at } });
    await db.$executeRaw`
      INSERT INTO "RollupLatest" ("targetId", "namespace", "team", "checkId", "passed", "failed", "at")
      VALUES (${targetId}::uuid, ${row.namespace}, ${row.team}, ${row.checkId}, ${row.passed}, ${row.failed}, ${at})
      ON CONFLICT ("targetId", "namespace", "team", "checkId") DO UPDATE
      SET "passed" = EXCLUDED."passed", "failed" = EXCLUDED."failed", "at" = EXCLUDED."at"`;
  }
}

/** CHECKS.md over the rows: the newest row per key, on the platform and in the scope, pooled over the checks. */
function expected(rows: Row[], platform: string, checkIds: string[], scope: FleetFilter = {}) {
  const latest = new Map<string, Row>();
  for (const row of rows) latest.set(`${row.target}/${row.namespace}/${row.team}/${row.checkId}`, row);
  let passed = 0;
  let failed = 0;
  for (const row of latest.values()) {
    if (TARGETS[row.target] !== platform || !checkIds.includes(row.checkId)) continue;
    if (scope.target && row.target !== scope.target) continue;
    if (scope.namespace !== undefined && row.namespace !== scope.namespace) continue;
    if (scope.team && row.team !== scope.team) continue;
    passed += row.passed;
    failed += row.failed;
  }
  return { passed, failed, compliance: passed + failed === 0 ? null : (100 * passed) / (passed + failed) };
}

function control(data: FrameworkCompliance | null, id: string, section?: string) {
  const found = data?.controls.find((c) => c.id === id && (!section || c.section === section));
  if (!found) throw new Error(`no control ${id}`);
  return { passed: found.passed, failed: found.failed, compliance: found.compliance };
}

const verdict = (baseline: string[], restricted: string[]) => ({
  baseline: { allowed: baseline.length === 0, violations: baseline },
  restricted: { allowed: restricted.length === 0, violations: restricted },
});

beforeAll(async () => {
  const db = database.db;
  for (const [name, platform] of Object.entries(TARGETS))
    ids.set(name, (await db.target.create({ data: { name, platform, url: `https://${name}` } })).id);
  await addRollups(db, new Date(TODAY.getTime() - 20 * DAY), BEFORE);
  await addRollups(db, new Date(TODAY.getTime() - 1 * DAY), AFTER);
  const workloads = [
    { name: "a", namespace: "shop", team: "payments", podSecurity: verdict([], []) },
    { name: "b", namespace: "shop", team: "payments", podSecurity: verdict([], ["runAsNonRoot", "seccompProfile_restricted"]) },
    { name: "c", namespace: "ops", team: "platform", podSecurity: verdict(["privileged"], ["privileged", "runAsNonRoot"]) },
    { name: "gone", namespace: "ops", team: "platform", podSecurity: verdict(["privileged"], ["privileged"]), gone: true },
    { name: "legacy", namespace: "ops", team: "platform", podSecurity: "not an object" },
  ];
  for (const w of workloads)
    await db.workload.create({
      data: {
        targetId: ids.get("kube") as string,
        namespace: w.namespace,
        kind: "Deployment",
        name: w.name,
        labels: { team: w.team },
        podSecurity: w.podSecurity,
        goneAt: w.gone ? TODAY : null,
      },
    });
});

describe("framework compliance from stored rollups (CHECKS.md: containers passing ÷ judged, pooled over a control's checks)", () => {
  it("CIS Docker counts Docker hosts only and pools the checks a control names", async () => {
    const data = await getFrameworkCompliance(FRAMEWORKS["cis-docker"], { access: WHOLE_FLEET });
    const rows = [...BEFORE, ...AFTER];
    expect(control(data, "5.4")).toEqual(expected(rows, "docker", ["drop-all-capabilities", "no-added-capabilities"]));
    expect(control(data, "5.4")).toEqual({ passed: 7, failed: 3, compliance: 70 });
    expect(control(data, "5.5")).toEqual({ passed: 5, failed: 0, compliance: 100 });
    // Judged by run-as-non-root, which has rows on Kubernetes only: judged, but nothing in scope.
    expect(control(data, "4.1")).toEqual({ passed: 0, failed: 0, compliance: null });
    const unjudged = data?.controls.find((c) => c.id === "1.1.1");
    expect(unjudged?.notJudged).toMatch(/Engine API/);
    expect(unjudged?.compliance).toBeNull();
  });

  it("CIS Kubernetes and NSA/CISA count clusters only, in the scope asked", async () => {
    const rows = [...BEFORE, ...AFTER];
    const all = await getFrameworkCompliance(FRAMEWORKS["cis-kubernetes"], { access: WHOLE_FLEET });
    expect(control(all, "5.2.9")).toEqual(expected(rows, "kubernetes", ["drop-all-capabilities", "no-added-capabilities"]));
    expect(control(all, "5.2.9")).toEqual({ passed: 5, failed: 1, compliance: (100 * 5) / 6 });
    for (const scope of [{ team: "platform" }, { target: "kube" }, { target: "kube", namespace: "ops" }, { namespace: "shop" }]) {
      const scoped = await getFrameworkCompliance(FRAMEWORKS["cis-kubernetes"], { ...scope, access: WHOLE_FLEET });
      expect(control(scoped, "5.2.7"), JSON.stringify(scope)).toEqual(expected(rows, "kubernetes", ["run-as-non-root"], scope));
      const nsa = await getFrameworkCompliance(FRAMEWORKS["nsa-cisa"], { ...scope, access: WHOLE_FLEET });
      expect(control(nsa, "non-root-containers")).toEqual(control(scoped, "5.2.7"));
    }
    expect(control(await getFrameworkCompliance(FRAMEWORKS["cis-kubernetes"], { access: WHOLE_FLEET, team: "platform" }), "5.2.7")).toEqual({
      passed: 6,
      failed: 2,
      compliance: 75,
    });
  });

  it("on a past day reads each key's last rollup at or before that day's end (carried forward)", async () => {
    const tenDaysAgo = await getFrameworkCompliance(FRAMEWORKS["cis-kubernetes"], { access: WHOLE_FLEET }, day(10));
    expect(control(tenDaysAgo, "5.2.9")).toEqual(expected(BEFORE, "kubernetes", ["drop-all-capabilities", "no-added-capabilities"]));
    expect(control(tenDaysAgo, "5.2.9")).toEqual({ passed: 0, failed: 3, compliance: 0 });
    // That complete day is now kept in RollupDayCache, and read again from it with the same counts.
    const marked = await database.db.rollupDayCache.count({ where: { day: day(10), checkId: "" } });
    expect(marked).toBeGreaterThan(0);
    const again = await getFrameworkCompliance(FRAMEWORKS["cis-kubernetes"], { access: WHOLE_FLEET }, day(10));
    expect(again).toEqual(tenDaysAgo);
    const yesterday = await getFrameworkCompliance(FRAMEWORKS["cis-docker"], { access: WHOLE_FLEET }, day(1));
    expect(control(yesterday, "5.4")).toEqual(control(await getFrameworkCompliance(FRAMEWORKS["cis-docker"], { access: WHOLE_FLEET }), "5.4"));
    const beforeAny = await getFrameworkCompliance(FRAMEWORKS["cis-docker"], { access: WHOLE_FLEET }, day(40));
    expect(control(beforeAny, "5.4")).toEqual({ passed: 0, failed: 0, compliance: null });
  });

  it("equals the compliance matrix's cells summed over the control's checks", async () => {
    const matrix = await getComplianceMatrix("target", WHOLE_FLEET);
    for (const target of ["dock", "kube"] as const) {
      const framework = TARGETS[target] === "docker" ? FRAMEWORKS["cis-docker"] : FRAMEWORKS["cis-kubernetes"];
      const id = TARGETS[target] === "docker" ? "5.4" : "5.2.9";
      const data = await getFrameworkCompliance(framework, { access: WHOLE_FLEET, target });
      const cells = ["drop-all-capabilities", "no-added-capabilities"].map(
        (checkId) => matrix.rows.find((row) => row.checkId === checkId)?.cells[target],
      );
      const passed = cells.reduce((sum, cell) => sum + (cell?.passed ?? 0), 0);
      const failed = cells.reduce((sum, cell) => sum + (cell?.failed ?? 0), 0);
      expect(control(data, id)).toMatchObject({ passed, failed });
    }
  });
});

describe("Pod Security from the stored verdicts of current workloads", () => {
  it("counts, per level, workloads whose verdict does not list the control", async () => {
    const data = await getFrameworkCompliance(FRAMEWORKS["pod-security"], { access: WHOLE_FLEET });
    // a, b, c have verdicts; gone is gone, legacy has no object verdict.
    expect(control(data, "privileged", "baseline")).toEqual({ passed: 2, failed: 1, compliance: (100 * 2) / 3 });
    expect(control(data, "runAsNonRoot", "restricted")).toEqual({ passed: 1, failed: 2, compliance: (100 * 1) / 3 });
    expect(control(data, "hostPorts", "baseline")).toEqual({ passed: 3, failed: 0, compliance: 100 });
    const levels = Object.fromEntries(data?.levels.map((l) => [l.level, l]) ?? []);
    expect(levels.baseline).toMatchObject({ allowed: 2, judged: 3 });
    expect(levels.restricted).toMatchObject({ allowed: 1, judged: 3 });
    const overview = await listPodSecurity({ access: WHOLE_FLEET });
    expect(levels.baseline?.allowed).toBe(overview.reduce((sum, row) => sum + row.baseline, 0));
    expect(levels.restricted?.judged).toBe(overview.reduce((sum, row) => sum + row.workloads, 0));
  });

  it("keeps the scope and has no past (verdicts are current only)", async () => {
    const team = await getFrameworkCompliance(FRAMEWORKS["pod-security"], { access: WHOLE_FLEET, team: "payments" });
    expect(control(team, "runAsNonRoot", "restricted")).toEqual({ passed: 1, failed: 1, compliance: 50 });
    expect(control(team, "privileged", "baseline")).toEqual({ passed: 2, failed: 0, compliance: 100 });
    expect(await getFrameworkCompliance(FRAMEWORKS["pod-security"], { access: WHOLE_FLEET }, day(3))).toBeNull();
  });
});
