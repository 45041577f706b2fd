import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db";
import { setupTestDatabase, storeResultSet } from "@/lib/db/testing";
import { recordRun, startRun } from "../runs";
import { createTarget } from "../targets";
import { makeFleet, type FleetOptions } from "../testing/fleet";
import { runMaintenance } from "./run-maintenance";

const test = setupTestDatabase();
const NOW = new Date("2026-06-01T12:00:00Z");
const at = (daysAgo: number, hour: number) => new Date(NOW.getTime() - daysAgo * 86_400_000 + (hour - 12) * 3_600_000);

async function newTarget(name: string): Promise<string> {
  return (await createTarget(test.db, { name, platform: "kubernetes", url: "https://k.test" })).id;
}

async function poll(targetId: string, when: Date, fleet: FleetOptions): Promise<string> {
  const { runId } = await startRun(test.db, { targetId, now: when });
  await recordRun(test.db, { runId, targetId, evaluations: makeFleet(fleet), complete: true, now: when });
  return runId;
}

interface DaySum {
  namespace: string;
  checkId: string;
  passed: number;
  failed: number;
}

/** What the trend pages read: at a time, each namespace × check's latest rollup row at or before it. */
async function sumsAt(targetId: string, when: Date): Promise<DaySum[]> {
  return test.db.$queryRaw<DaySum[]>(Prisma.sql`
    SELECT DISTINCT ON ("namespace", "checkId") "namespace", "checkId", "passed", "failed" FROM "RunRollup"
    WHERE "targetId" = ${targetId}::uuid AND "at" <= ${when}
    ORDER BY "namespace", "checkId", "at" DESC`);
}

describe("runMaintenance: rollups", () => {
  it("past 30 days keeps each key's last row of a day, so every day's closing values stay what the trends show", async () => {
    const targetId = await newTarget("compact");
    const failing = (n: number) => (i: number) => (i < n ? "fail" : "pass");
    for (const [daysAgo, hour, fails] of [
      [40, 6, 1],
      [40, 12, 2],
      [40, 18, 3],
      [35, 9, 4],
      [35, 21, 2],
      [2, 8, 5],
      [2, 20, 1],
    ] as const) {
      await poll(targetId, at(daysAgo, hour), { containers: 10, perNamespace: 5, statusB: failing(fails) });
    }
    const dayEnds = [40, 35, 2].map((daysAgo) => at(daysAgo, 23.99));
    const before = await Promise.all(dayEnds.map((end) => sumsAt(targetId, end)));
    const result = await runMaintenance(test.db, { now: NOW });
    expect(await Promise.all(dayEnds.map((end) => sumsAt(targetId, end)))).toEqual(before);
    const failedB = before.map((sums) => sums.filter((s) => s.checkId === "check-b").reduce((n, s) => n + s.failed, 0));
    expect(failedB).toEqual([3, 2, 1]);
    const perDay = await test.db.$queryRaw<{ day: string; rows: number; runs: number }[]>(Prisma.sql`
      SELECT to_char("at", 'YYYY-MM-DD') AS day, count(*)::int AS rows, count(DISTINCT "runId")::int AS runs
      FROM "RunRollup" WHERE "targetId" = ${targetId}::uuid GROUP BY 1 ORDER BY 1`);
    // Day 40: the first run's four keys, then only ns-0's check-b changed (its 18:00 row is kept); day 35: ns-0's
    // check-b at 21:00; day 2 is recent, both changes stay. Old rows outlive their pruned runs.
    expect(perDay.map((d) => [d.rows, d.runs])).toEqual([
      [4, 0],
      [1, 0],
      [2, 2],
    ]);
    expect(result.rollupsDeleted).toBe(3);
    // Runs older than 30 days go (their rollups stay, read by time); the two recent runs stay.
    expect(result.runsDeleted).toBe(5);
    expect(await test.db.collectionRun.count({ where: { targetId } })).toBe(2);
    expect(await test.db.runRollup.count({ where: { targetId, runId: null } })).toBe(5);
    expect(await runMaintenance(test.db, { now: NOW })).toMatchObject({ rollupsDeleted: 0, runsDeleted: 0 });
  });
});

describe("runMaintenance: gone containers", () => {
  it("prunes containers gone longer than the retention, with their resolved findings and empty workloads", async () => {
    const targetId = await newTarget("prune");
    await poll(targetId, at(400, 12), { containers: 4 });
    await poll(targetId, at(380, 12), { containers: 4, skip: (i) => i < 2 });
    await poll(targetId, at(10, 12), { containers: 4, skip: (i) => i < 3 });
    const names = async () =>
      (
        await test.db.container.findMany({
          where: { workload: { targetId } },
          select: { workload: { select: { name: true } } },
        })
      )
        .map((c) => c.workload.name)
        .sort();
    const findings = () => test.db.finding.count({ where: { container: { workload: { targetId } } } });
    expect(await findings()).toBe(4);

    const orphan = await test.db.fix.create({ data: { id: randomUUID(), remediation: { summary: "unused" } } });
    const orphanSet = await storeResultSet(test.db, ["unused-check"], []);
    const result = await runMaintenance(test.db, { now: NOW });
    expect(await test.db.fix.findUnique({ where: { id: orphan.id } })).toBeNull();
    expect(result.fixesDeleted).toBeGreaterThanOrEqual(1);
    expect(await test.db.resultSet.findUnique({ where: { id: orphanSet } })).toBeNull();
    expect(result.resultSetsDeleted).toBeGreaterThanOrEqual(1);
    // The result sets of the containers kept stay, each container reading its own.
    const kept = await test.db.container.findMany({ where: { workload: { targetId } }, include: { resultSet: true } });
    expect(kept.every((c) => c.resultSetId !== null && c.resultSet?.id === c.resultSetId)).toBe(true);
    expect(await names()).toEqual(["app-2", "app-3"]);
    expect(await findings()).toBe(2);
    expect(result).toMatchObject({ containersDeleted: 2, findingsDeleted: 2, workloadsDeleted: 2 });
    expect(await test.db.workload.count({ where: { targetId } })).toBe(2);

    await runMaintenance(test.db, { now: NOW, retentionDays: 5 });
    expect(await names()).toEqual(["app-3"]);
    expect(
      await test.db.finding.findMany({ where: { container: { workload: { targetId } } }, select: { status: true } }),
    ).toEqual([{ status: "open" }]);
  });

  it("rejects a retention that is not positive", async () => {
    await expect(runMaintenance(test.db, { retentionDays: 0 })).rejects.toThrow(/must be positive/);
  });
});
