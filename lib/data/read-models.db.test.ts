import { beforeAll, describe, expect, it } from "vitest";
import { accessOf, WHOLE_FLEET } from "@/lib/scope/access-scope";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { getOverview } from "./overview";
import { getTargetDetail, listTargets, targetNameById } from "./targets";
import { VIOLATIONS_PAGE_SIZE } from "@/lib/scope/violation-query";
import { listViolations } from "./violations";

const database = setupTestDatabase({ processDb: true });
const BASE_TIME = Date.parse("2026-01-01T00:00:00Z");

async function addContainer(db: Db, targetId: string, name: string, score: number | null, gone = false) {
  const workload = await db.workload.create({ data: { targetId, kind: "Container", name } });
  return db.container.create({
    data: { workloadId: workload.id, name, image: "app:1", factsHash: name, score, goneAt: gone ? new Date() : null },
  });
}

/** `count` findings of one severity, each of its own check (`check-<severity>-<i>`): one finding per container and check. */
async function addFindings(db: Db, containerId: string, severity: string, count: number) {
  await db.finding.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      containerId,
      checkId: `check-${severity}-${i}`,
      status: "open",
      severity,
      message: `${severity} ${i}`,
      firstSeenAt: new Date(BASE_TIME + i * 60_000),
    })),
  });
}

beforeAll(async () => {
  const db = database.db;
  const target = await db.target.create({ data: { name: "host-a", platform: "docker", url: "unix:///a.sock" } });
  await db.target.create({ data: { name: "host-b", platform: "docker", url: "tcp://b:2376", enabled: false } });
  await db.collectionRun.create({ data: { targetId: target.id, status: "failed", startedAt: new Date(BASE_TIME), error: "old" } });
  await db.collectionRun.create({
    data: { targetId: target.id, status: "succeeded", startedAt: new Date(BASE_TIME + 1000), containers: 2 },
  });
  const web = await addContainer(db, target.id, "web", 50);
  const db1 = await addContainer(db, target.id, "db", 100);
  const gone = await addContainer(db, target.id, "old", 0, true);
  await addContainer(db, target.id, "unscored", null);
  await addFindings(db, web.id, "high", 60);
  await addFindings(db, db1.id, "critical", 3);
  await addFindings(db, db1.id, "low", 2);
  await db.finding.create({
    data: { containerId: gone.id, checkId: "check-critical-0", status: "resolved", severity: "critical", message: "fixed" },
  });
});

describe("listViolations", () => {
  it("puts the most severe first and the newest first within a severity, across pages", async () => {
    const first = await listViolations({ access: WHOLE_FLEET, page: 1 });
    expect(first.total).toBe(65);
    expect(first.pageCount).toBe(2);
    expect(first.rows).toHaveLength(VIOLATIONS_PAGE_SIZE);
    expect(first.rows.slice(0, 4).map((row) => row.message)).toEqual(["critical 2", "critical 1", "critical 0", "high 59"]);
    const second = await listViolations({ access: WHOLE_FLEET, page: 2 });
    expect(second.rows.map((row) => row.message)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `high ${12 - i}`),
      "low 1",
      "low 0",
    ]);
  });

  it("filters by severity and check, counts per severity, and clamps a page past the end", async () => {
    const lows = await listViolations({ access: WHOLE_FLEET, severity: "low", page: 9 });
    expect(lows.page).toBe(1);
    expect(lows.rows.map((row) => [row.containerName, row.targetName, row.severity])).toEqual([
      ["db", "host-a", "low"],
      ["db", "host-a", "low"],
    ]);
    const critical = await listViolations({ access: WHOLE_FLEET, checkId: "check-critical-1", page: 1 });
    expect(critical.bySeverity).toEqual({ critical: 1, high: 0, medium: 0, low: 0 });
    // Every check with an open finding, whatever the filter, in id order.
    const checks = (severity: string, count: number) => Array.from({ length: count }, (_, i) => `check-${severity}-${i}`);
    expect(critical.checkIds).toEqual([...checks("critical", 3), ...checks("high", 60), ...checks("low", 2)].sort());
  });
});

describe("getOverview and listTargets", () => {
  it("counts current containers and averages the scores they have", async () => {
    const overview = await getOverview({ access: WHOLE_FLEET });
    expect(overview).toEqual({
      targets: 2,
      containers: 3,
      openBySeverity: { critical: 3, high: 60, medium: 0, low: 2 },
      fleetScore: 75,
    });
  });

  it("shows each target's latest run and its current containers", async () => {
    const [a, b] = await listTargets({ access: WHOLE_FLEET });
    expect(a).toMatchObject({ name: "host-a", containers: 3, includeStopped: false });
    expect(a?.lastRun).toMatchObject({ status: "succeeded", error: null, containers: 2 });
    expect(b).toMatchObject({ name: "host-b", enabled: false, containers: 0, lastRun: null });
  });
});

describe("the target page reads a target by name", () => {
  it("finds it by its exact name, with its runs newest first; an old id link resolves to the name", async () => {
    const detail = await getTargetDetail("host-a", WHOLE_FLEET);
    expect(detail?.target.name).toBe("host-a");
    expect(detail?.runs.map((run) => run.status)).toEqual(["succeeded", "failed"]);
    expect(await getTargetDetail("HOST-A", WHOLE_FLEET)).toBeNull();
    expect(await getTargetDetail("host-a ", WHOLE_FLEET)).toBeNull();
    const id = detail?.target.id as string;
    expect(await getTargetDetail(id, WHOLE_FLEET)).toBeNull();
    expect(await targetNameById(id, WHOLE_FLEET)).toBe("host-a");
    // An old link to a target outside the caller's access names nothing (the page answers 404).
    expect(await targetNameById(id, accessOf({ targets: [], namespaces: [], teams: ["nobody"] }))).toBeNull();
    expect(await targetNameById(id, accessOf({ targets: [id], namespaces: [], teams: [] }))).toBe("host-a");
    expect(await targetNameById(id.replace(/^./, id.startsWith("0") ? "1" : "0"), WHOLE_FLEET)).toBeNull();
    // Not a UUID: never sent to the uuid column.
    expect(await targetNameById("host-a", WHOLE_FLEET)).toBeNull();
    expect(await targetNameById("'; DROP TABLE \"Target\"; --", WHOLE_FLEET)).toBeNull();
  });
});
