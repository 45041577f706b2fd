import { beforeAll, describe, expect, it } from "vitest";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import type { Db } from "@/lib/db";
import { setupTestDatabase, storeResultSet } from "@/lib/db/testing";
import { SEVERITY_WEIGHT, type Severity } from "@/lib/domain/severity";
import { checkCompliance, containerScore, scopeScore } from "@/lib/scoring";
import { listCheckCompliance, listFailingWorkloads } from "./checks";
import { getFindingActivity, getOverview, listPodSecurity, listRiskiestWorkloads } from "./overview";
import { parseFleetFilter } from "@/lib/scope/fleet-scope";
import { listTargets } from "./targets";
import { getTrends, weightedScore, windowDays } from "./trends";

const database = setupTestDatabase({ processDb: true });
const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
const [CHECK_A, CHECK_B, CHECK_C] = CHECK_CATALOG as [
  (typeof CHECK_CATALOG)[number],
  (typeof CHECK_CATALOG)[number],
  (typeof CHECK_CATALOG)[number],
];

type Outcome = "pass" | "fail" | "excepted" | "not-applicable";

interface Seeded {
  targetId: string;
  namespace: string;
  team: string | null;
  outcomes: Outcome[];
  gone: boolean;
}

function resultsOf(outcomes: Outcome[]) {
  return outcomes.map((outcome, i) => {
    const check = CHECK_CATALOG[i] as (typeof CHECK_CATALOG)[number];
    const status = outcome === "excepted" ? "fail" : outcome;
    return {
      id: check.id,
      status,
      severity: check.severity,
      message: outcome,
      fieldPath: "",
      excepted: outcome === "excepted",
      exceptionId: null,
    };
  });
}

function scoreOf(outcomes: Outcome[]): number | null {
  return containerScore(
    resultsOf(outcomes).map((r) => ({
      status: r.status,
      severity: r.severity,
      ...(r.excepted ? { excepted: { source: "exception" as const, reason: "x" } } : {}),
    })),
  );
}

const seeded: Seeded[] = [];
let clusterId = "";
let hostId = "";
let staleId = "";

async function addWorkload(db: Db, spec: Seeded, index: number, podSecurity: object | null) {
  const workload = await db.workload.create({
    data: {
      targetId: spec.targetId,
      namespace: spec.namespace,
      kind: "Deployment",
      name: `app-${index}`,
      labels: spec.team && index % 2 === 0 ? { team: spec.team } : {},
      namespaceLabels: spec.team && index % 2 === 1 ? { team: spec.team } : {},
      ...(podSecurity ? { podSecurity } : {}),
      goneAt: spec.gone ? NOW : null,
    },
  });
  const container = await db.container.create({
    data: {
      workloadId: workload.id,
      name: "main",
      image: "app:1",
      factsHash: String(index),
      // Each result in its one home: passes by id, failures as findings below, the rest of the catalog not judged.
      resultSetId: await storeResultSet(
        db,
        resultsOf(spec.outcomes).flatMap((r) => (r.status === "pass" ? [r.id] : [])),
        CHECK_CATALOG.flatMap((check, i) =>
          (spec.outcomes[i] ?? "not-applicable") === "not-applicable"
            ? [{ id: check.id, status: "not-applicable" as const, message: "n/a" }]
            : [],
        ),
      ),
      score: scoreOf(spec.outcomes),
      goneAt: spec.gone ? NOW : null,
    },
  });
  const failing = spec.outcomes.flatMap((outcome, i) =>
    outcome === "fail" || outcome === "excepted"
      ? [{ check: CHECK_CATALOG[i] as (typeof CHECK_CATALOG)[number], excepted: outcome === "excepted" }]
      : [],
  );
  for (const { check, excepted } of failing) {
    // A finding opens at firstSeenAt; no event repeats it (one excepted at first sight says so in an event).
    const firstSeenAt = new Date(NOW.getTime() - (index + 1) * DAY);
    await db.finding.create({
      data: {
        containerId: container.id,
        checkId: check.id,
        status: excepted ? "excepted" : "open",
        severity: check.severity,
        message: `fails ${check.id}`,
        firstSeenAt,
        ...(excepted ? { events: { create: [{ kind: "excepted", at: firstSeenAt }] } } : {}),
      },
    });
  }
  return workload.id;
}

async function addRollup(
  db: Db,
  targetId: string,
  at: Date,
  rows: { namespace: string; checkId: string; passed: number; failed: number }[],
) {
  const run = await db.collectionRun.create({ data: { targetId, status: "succeeded", startedAt: at, finishedAt: at } });
  await db.runRollup.createMany({ data: rows.map((row) => ({ ...row, runId: run.id, targetId, at })) });
  // As a run's rollup statement does: RollupLatest follows the newest row of each key.
  for (const row of rows)
    await db.$executeRaw`
      INSERT INTO "RollupLatest" ("targetId", "namespace", "checkId", "passed", "failed", "at")
      VALUES (${targetId}::uuid, ${row.namespace}, ${row.checkId}, ${row.passed}, ${row.failed}, ${at})
      ON CONFLICT ("targetId", "namespace", "team", "checkId") DO UPDATE
      SET "passed" = EXCLUDED."passed", "failed" = EXCLUDED."failed", "at" = EXCLUDED."at"
      WHERE "RollupLatest"."at" <= EXCLUDED."at"`;
}

beforeAll(async () => {
  const db = database.db;
  clusterId = (await db.target.create({ data: { name: "cluster", platform: "kubernetes", url: "https://k" } })).id;
  hostId = (
    await db.target.create({ data: { name: "host", platform: "docker", url: "unix:///d.sock", intervalSeconds: 60 } })
  ).id;
  staleId = (
    await db.target.create({ data: { name: "stale", platform: "docker", url: "unix:///s.sock", intervalSeconds: 60 } })
  ).id;
  seeded.push(
    { targetId: clusterId, namespace: "shop", team: "payments", outcomes: ["pass", "fail", "pass"], gone: false },
    { targetId: clusterId, namespace: "shop", team: "payments", outcomes: ["fail", "fail", "excepted"], gone: false },
    {
      targetId: clusterId,
      namespace: "ops",
      team: "platform",
      outcomes: ["pass", "pass", "not-applicable"],
      gone: false,
    },
    { targetId: hostId, namespace: "", team: null, outcomes: ["pass", "excepted", "fail"], gone: false },
    { targetId: hostId, namespace: "", team: null, outcomes: ["fail", "fail", "fail"], gone: true },
  );
  const verdict = (baseline: boolean, restricted: boolean) => ({
    baseline: { allowed: baseline, violations: [] },
    restricted: { allowed: restricted, violations: [] },
  });
  const verdicts = [verdict(true, true), verdict(true, false), verdict(false, false), null, null];
  for (const [i, spec] of seeded.entries()) await addWorkload(db, spec, i, verdicts[i] ?? null);
  const earlier = new Date(NOW.getTime() - 3 * DAY);
  await addRollup(db, clusterId, new Date(earlier.getTime() - 3_600_000), [
    { namespace: "shop", checkId: CHECK_A.id, passed: 0, failed: 9 },
  ]);
  await addRollup(db, clusterId, earlier, [
    { namespace: "shop", checkId: CHECK_A.id, passed: 3, failed: 1 },
    { namespace: "ops", checkId: CHECK_B.id, passed: 2, failed: 2 },
  ]);
  await addRollup(db, hostId, new Date(earlier.getTime() + 60_000), [
    { namespace: "", checkId: CHECK_A.id, passed: 1, failed: 0 },
  ]);
  await addRollup(db, hostId, new Date(NOW.getTime() - 60_000), [
    { namespace: "", checkId: CHECK_C.id, passed: 5, failed: 5 },
  ]);
  await addRollup(db, hostId, new Date(NOW.getTime() - 40 * DAY), [
    { namespace: "", checkId: CHECK_C.id, passed: 1, failed: 0 },
  ]);
  await db.collectionRun.create({
    data: {
      targetId: staleId,
      status: "succeeded",
      startedAt: new Date(NOW.getTime() - 600_000),
      finishedAt: new Date(NOW.getTime() - 600_000),
    },
  });
});

function current(filter: (s: Seeded) => boolean = () => true): Seeded[] {
  return seeded.filter((s) => !s.gone && filter(s));
}

describe("overview read models", () => {
  it("fleet score and counts follow the formulas over current containers, with target, namespace and team filters", async () => {
    const cases = [
      { filter: {}, keep: () => true },
      { filter: { target: "cluster" }, keep: (s: Seeded) => s.targetId === clusterId },
      { filter: { namespace: "shop" }, keep: (s: Seeded) => s.namespace === "shop" },
      { filter: { team: "payments" }, keep: (s: Seeded) => s.team === "payments" },
    ];
    for (const { filter, keep } of cases) {
      const overview = await getOverview({ ...filter, access: WHOLE_FLEET });
      const expected = scopeScore(current(keep).map((s) => scoreOf(s.outcomes)));
      expect(overview.fleetScore).toBeCloseTo(expected as number, 9);
      expect(overview.containers).toBe(current(keep).length);
    }
    const highs = current().reduce(
      (n, s) => n + s.outcomes.filter((o, i) => o === "fail" && CHECK_CATALOG[i]?.severity === "high").length,
      0,
    );
    expect((await getOverview({ access: WHOLE_FLEET })).openBySeverity.high).toBe(
      highs + seeded[4]!.outcomes.filter((o, i) => o === "fail" && CHECK_CATALOG[i]?.severity === "high").length,
    );
  });

  it("with a team filter, check compliance counts stored results, leaving out excepted and gone containers", async () => {
    for (const team of ["payments", "platform"]) {
      const rows = await listCheckCompliance({ access: WHOLE_FLEET, team });
      for (const [i, check] of [CHECK_A, CHECK_B, CHECK_C].entries()) {
        const results = current((s) => s.team === team).map((s) => {
          const outcome = s.outcomes[i] as Outcome;
          return outcome === "excepted"
            ? { status: "fail" as const, excepted: { source: "exception" as const, reason: "x" } }
            : { status: outcome };
        });
        const expected = checkCompliance(results);
        const row = rows.find((r) => r.checkId === check.id);
        if (expected === null) expect(row?.compliance).toBeNull();
        else expect(row?.compliance).toBeCloseTo(expected * 100, 9);
      }
    }
  });

  it("otherwise it sums the latest rollup row of each target, namespace and check", async () => {
    const all = await listCheckCompliance({ access: WHOLE_FLEET });
    // A: cluster/shop 3/1 (not its older 0/9) + host 1/0; B: cluster/ops 2/2; C: host 5/5 (not its 40-day-old 1/0).
    expect(all.find((r) => r.checkId === CHECK_A.id)).toMatchObject({ passed: 4, failed: 1, compliance: 80 });
    expect(all.find((r) => r.checkId === CHECK_B.id)).toMatchObject({ passed: 2, failed: 2, compliance: 50 });
    expect(all.find((r) => r.checkId === CHECK_C.id)).toMatchObject({ passed: 5, failed: 5, compliance: 50 });
    const ops = await listCheckCompliance({ access: WHOLE_FLEET, target: "cluster", namespace: "ops" });
    expect(ops.filter((r) => r.passed + r.failed > 0).map((r) => r.checkId)).toEqual([CHECK_B.id]);
  });

  it("Pod Security shares per cluster come from current workloads' verdicts", async () => {
    expect(await listPodSecurity({ access: WHOLE_FLEET })).toEqual([
      { targetId: clusterId, targetName: "cluster", workloads: 3, baseline: 2, restricted: 1 },
    ]);
    expect(await listPodSecurity({ access: WHOLE_FLEET, namespace: "ops" })).toMatchObject([{ workloads: 1, baseline: 0, restricted: 0 }]);
  });

  it("riskiest workloads: most open critical first, then lowest score", async () => {
    const rows = await listRiskiestWorkloads({ access: WHOLE_FLEET }, 10);
    expect(rows).toHaveLength(4);
    const keys = rows.map((r) => [r.openCritical, r.score ?? 0] as const);
    for (let i = 1; i < keys.length; i++) {
      const [prev, next] = [keys[i - 1]!, keys[i]!];
      expect(prev[0] > next[0] || (prev[0] === next[0] && prev[1] <= next[1])).toBe(true);
    }
  });

  it("finding activity counts findings first seen in the seven days before now, within the filter", async () => {
    const all = await getFindingActivity({ access: WHOLE_FLEET }, NOW);
    const expected = seeded.reduce(
      (n, s, i) => n + (i + 1 <= 7 ? s.outcomes.filter((o) => o === "fail").length : 0),
      0,
    );
    expect(all).toMatchObject({ opened: expected, resolved: 0 });
    const hostOnly = await getFindingActivity({ access: WHOLE_FLEET, target: "host" }, NOW);
    expect(hostOnly.opened).toBe(seeded[3]!.outcomes.filter((o) => o === "fail").length + 3);
  });

  it("parses filters from the URL: the target by name, the first of repeated values, empty ones dropped", () => {
    expect(parseFleetFilter({ target: "nope", namespace: "shop", team: ["a", "b"] })).toEqual({
      target: "nope",
      namespace: "shop",
      team: "a",
    });
  });
});

describe("trends from rollups", () => {
  it("takes each key's last row at a day's end, carried forward, sums namespaces; the score uses the severity weights", async () => {
    const trends = await getTrends({ access: WHOLE_FLEET, days: 7 }, NOW);
    expect(trends.days).toEqual(windowDays(7, NOW));
    const day = new Date(NOW.getTime() - 3 * DAY).toISOString().slice(0, 10);
    const a = trends.checks.find((c) => c.checkId === CHECK_A.id)?.points.find((p) => p.day === day);
    // cluster/shop's last row of the day (3/1, not the 0/9 an hour before) and host's 1/0.
    expect(a?.value).toBeCloseTo((100 * (3 + 1)) / (3 + 1 + 1 + 0), 9);
    const scoreOfDay = trends.score.find((p) => p.day === day)?.value;
    const w = (s: Severity) => SEVERITY_WEIGHT[s];
    // C is host's 1/0 from 40 days ago, carried forward until its 5/5 today.
    const expected =
      (100 * (w(CHECK_A.severity) * 4 + w(CHECK_B.severity) * 2 + w(CHECK_C.severity) * 1)) /
      (w(CHECK_A.severity) * 5 + w(CHECK_B.severity) * 4 + w(CHECK_C.severity) * 1);
    expect(scoreOfDay).toBeCloseTo(expected, 9);
    const c = trends.checks.find((check) => check.checkId === CHECK_C.id)?.points.map((p) => p.value);
    expect(c).toEqual([100, 100, 100, 100, 100, 100, 50]);
    const before = new Date(NOW.getTime() - 4 * DAY).toISOString().slice(0, 10);
    expect(trends.checks.find((check) => check.checkId === CHECK_A.id)?.points.find((p) => p.day === before)?.value).toBeNull();
  });

  it("filters by namespace and leaves out days before the window", async () => {
    const shop = await getTrends({ access: WHOLE_FLEET, days: 7, namespace: "shop" }, NOW);
    expect(shop.checks.map((c) => c.checkId)).toEqual([CHECK_A.id]);
    const ninety = await getTrends({ access: WHOLE_FLEET, days: 90, target: "host" }, NOW);
    // From host's first row, 40 days ago, every day carries a value up to today.
    expect(ninety.score.filter((p) => p.value !== null)).toHaveLength(41);
    const twenty = await getTrends({ access: WHOLE_FLEET, days: 20, target: "host" }, NOW);
    expect(twenty.score.every((p) => p.value !== null)).toBe(true);
  });

  it("the weighted score equals the container score for one container", () => {
    const outcomes: Outcome[] = ["pass", "fail", "pass"];
    const counts = outcomes.map((o, i) => ({
      checkId: CHECK_CATALOG[i]!.id,
      passed: o === "pass" ? 1 : 0,
      failed: o === "fail" ? 1 : 0,
    }));
    expect(weightedScore(counts)).toBeCloseTo(scoreOf(outcomes) as number, 9);
  });
});

describe("targets and checks", () => {
  it("target rows carry score, open critical/high and staleness (> 3 intervals without a successful poll)", async () => {
    const rows = await listTargets({ access: WHOLE_FLEET }, NOW);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("host")?.isStale).toBe(false);
    expect(byName.get("stale")?.isStale).toBe(true);
    expect(byName.get("stale")?.lastSuccessAt).toBe(new Date(NOW.getTime() - 600_000).toISOString());
    const clusterScores = current((s) => s.targetId === clusterId).map((s) => scoreOf(s.outcomes));
    expect(byName.get("cluster")?.score).toBeCloseTo(scopeScore(clusterScores) as number, 9);
    expect(byName.get("cluster")?.containers).toBe(3);
    const shop = (await listTargets({ access: WHOLE_FLEET, namespace: "shop" })).find((r) => r.name === "cluster");
    const shopScores = current((s) => s.namespace === "shop").map((s) => scoreOf(s.outcomes));
    expect(shop?.containers).toBe(shopScores.length);
    expect(shop?.score).toBeCloseTo(scopeScore(shopScores) as number, 9);
  });

  it("lists the current workloads with an open finding of a check", async () => {
    const failing = await listFailingWorkloads(CHECK_B.id, { access: WHOLE_FLEET });
    const expected = current((s) => s.outcomes[1] === "fail").length;
    expect(failing).toHaveLength(expected);
    expect(failing.every((row) => row.message === `fails ${CHECK_B.id}`)).toBe(true);
  });
});
