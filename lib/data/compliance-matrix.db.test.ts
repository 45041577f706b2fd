import { beforeAll, describe, expect, it, vi } from "vitest";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { complianceMatrixCsv, getCheckBreakdown, getComplianceMatrix } from "./compliance-matrix";

const holder = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock("server-only", () => ({}));
vi.mock("@/lib/db", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db")>()),
  getDb: () => holder.db,
}));

const database = setupTestDatabase();
const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
const [A, B] = CHECK_CATALOG.map((check) => check.id) as [string, string];

interface Row {
  target: string;
  namespace: string;
  team: string;
  checkId: string;
  passed: number;
  failed: number;
}

/** Rollup rows as runs write them: history in RunRollup, the newest per key in RollupLatest. */
async function addRollups(db: Db, ids: Map<string, string>, at: Date, rows: Row[]) {
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

// Twenty days ago, then now (only some keys change: the rest carry forward).
const BEFORE: Row[] = [
  { target: "east", namespace: "shop", team: "payments", checkId: A, passed: 1, failed: 3 },
  { target: "east", namespace: "ops", team: "platform", checkId: A, passed: 2, failed: 0 },
  { target: "west", namespace: "shop", team: "payments", checkId: A, passed: 0, failed: 2 },
  { target: "west", namespace: "shop", team: "", checkId: B, passed: 5, failed: 5 },
];
const AFTER: Row[] = [
  { target: "east", namespace: "shop", team: "payments", checkId: A, passed: 3, failed: 1 },
  { target: "west", namespace: "shop", team: "payments", checkId: A, passed: 1, failed: 1 },
  { target: "host", namespace: "", team: "", checkId: B, passed: 1, failed: 2 },
];

/** The newest row of each key, summed per column: the CHECKS.md formula over the current containers. */
function expected(rows: Row[], column: (row: Row) => string, checkId: string, name: string) {
  const latest = new Map<string, Row>();
  for (const row of rows) latest.set(`${row.target}/${row.namespace}/${row.team}/${row.checkId}`, row);
  let passed = 0;
  let failed = 0;
  for (const row of latest.values())
    if (row.checkId === checkId && column(row) === name) {
      passed += row.passed;
      failed += row.failed;
    }
  return passed + failed === 0 ? null : (100 * passed) / (passed + failed);
}

beforeAll(async () => {
  holder.db = database.db;
  const db = database.db;
  const ids = new Map<string, string>();
  for (const [name, platform] of [
    ["east", "kubernetes"],
    ["west", "kubernetes"],
    ["host", "docker"],
  ] as const)
    ids.set(name, (await db.target.create({ data: { name, platform, url: `https://${name}` } })).id);
  await addRollups(db, ids, new Date(NOW.getTime() - 20 * DAY), BEFORE);
  await addRollups(db, ids, new Date(NOW.getTime() - 1 * DAY), AFTER);
});

describe("compliance matrix", () => {
  it("by target: each cell is passing ÷ judged of the latest rollups, change against the window's first day", async () => {
    const matrix = await getComplianceMatrix("target", WHOLE_FLEET, NOW);
    expect(matrix.columns).toEqual(["east", "host", "west"]);
    expect(matrix.rows.map((row) => row.checkId)).toEqual([A, B]);
    const all = [...BEFORE, ...AFTER];
    for (const name of matrix.columns)
      for (const row of matrix.rows) {
        const want = expected(all, (r) => r.target, row.checkId, name);
        if (want === null) expect(row.cells[name]).toBeUndefined();
        else expect(row.cells[name]?.compliance).toBeCloseTo(want);
      }
    // east, A: (3 + 2) ÷ 6 now; (1 + 2) ÷ 6 twenty days ago.
    expect(matrix.rows[0]?.cells.east).toMatchObject({ passed: 5, failed: 1 });
    expect(matrix.rows[0]?.cells.east?.change).toBeCloseTo((100 * 5) / 6 - (100 * 3) / 6);
    // west, A: 1 ÷ 2 now, 0 ÷ 2 before.
    expect(matrix.rows[0]?.cells.west?.change).toBeCloseTo(50);
    // host, B appeared yesterday: its first day with data is yesterday, so no change yet.
    expect(matrix.rows[1]?.cells.host?.change).toBeCloseTo(0);
    expect(matrix.rows[0]?.cells.host).toBeUndefined();
  });

  it("by team and by namespace: rows without a team or a namespace get no column", async () => {
    const teams = await getComplianceMatrix("team", WHOLE_FLEET, NOW);
    expect(teams.columns).toEqual(["payments", "platform"]);
    const payments = teams.rows.find((row) => row.checkId === A)?.cells.payments;
    // east/shop 3:1 and west/shop 1:1.
    expect(payments).toMatchObject({ passed: 4, failed: 2 });
    expect(payments?.compliance).toBeCloseTo(expected([...BEFORE, ...AFTER], (r) => r.team, A, "payments") ?? NaN);
    expect(payments?.change).toBeCloseTo((100 * 4) / 6 - (100 * 1) / 6);
    expect(teams.rows.find((row) => row.checkId === B)).toBeUndefined();

    const namespaces = await getComplianceMatrix("namespace", WHOLE_FLEET, NOW);
    expect(namespaces.columns).toEqual(["ops", "shop"]);
    expect(namespaces.rows.find((row) => row.checkId === B)?.cells.shop).toMatchObject({ passed: 5, failed: 5 });
  });

  it("answers the same from the cached days (each cell's first day read alone) as from the history", async () => {
    const db = database.db;
    for (const by of ["target", "team", "namespace"] as const) {
      await db.rollupDayCache.deleteMany();
      const cold = await getComplianceMatrix(by, WHOLE_FLEET, NOW);
      expect(await db.rollupDayCache.count({ where: { checkId: "" } })).toBe(29);
      const warm = await getComplianceMatrix(by, WHOLE_FLEET, NOW);
      expect(warm).toEqual(cold);
      expect(warm.rows.some((row) => Object.values(row.cells).some((cell) => cell.change !== 0))).toBe(true);
    }
  });

  it("as CSV: one line per cell, the same numbers", async () => {
    const matrix = await getComplianceMatrix("target", WHOLE_FLEET, NOW);
    const lines = complianceMatrixCsv(matrix).trim().split("\r\n");
    expect(lines[0]).toBe("check,target,passed,failed,compliance_percent,change_30d_points");
    expect(lines).toContain(`${A},east,5,1,83.3,33.3`);
    expect(lines).toHaveLength(1 + 4);
  });
});

describe("one check per target and per team (the check page)", () => {
  it("equals that check's matrix cells, with a line per day carrying each key's last value forward", async () => {
    const byTarget = await getCheckBreakdown(A, "target", 30, WHOLE_FLEET, NOW);
    const matrix = await getComplianceMatrix("target", WHOLE_FLEET, NOW);
    const row = matrix.rows.find((r) => r.checkId === A);
    expect(byTarget.map((r) => r.name)).toEqual(["east", "west"]);
    for (const cell of byTarget) {
      const { passed, failed, compliance, change } = row?.cells[cell.name] ?? {};
      expect(cell).toMatchObject({ passed, failed, compliance, change });
      expect(cell.points).toHaveLength(30);
    }
    const east = byTarget[0]?.points ?? [];
    // Nothing before the first rollup (20 days ago), 3 ÷ 6 from then, 5 ÷ 6 from yesterday on.
    expect(east.slice(0, 9).every((point) => point.value === null)).toBe(true);
    expect(east[9]?.value).toBeCloseTo(50);
    expect(east[27]?.value).toBeCloseTo(50);
    expect(east[28]?.value).toBeCloseTo((100 * 5) / 6);
    expect(east[29]?.value).toBeCloseTo((100 * 5) / 6);
  });

  it("per team: only teams judged on the check, the same formula", async () => {
    const byTeam = await getCheckBreakdown(A, "team", 30, WHOLE_FLEET, NOW);
    expect(byTeam.map((r) => r.name)).toEqual(["payments", "platform"]);
    expect(byTeam[0]).toMatchObject({ passed: 4, failed: 2 });
    expect(byTeam[1]?.compliance).toBeCloseTo(expected([...BEFORE, ...AFTER], (r) => r.team, A, "platform") ?? NaN);
    expect(await getCheckBreakdown(B, "team", 30, WHOLE_FLEET, NOW)).toEqual([]);
  });
});

describe("the day cache behind the daily lines", () => {
  it("keeps complete days after the first read, answers the same, and forgets the days a late row changes", async () => {
    const db = database.db;
    const first = await getCheckBreakdown(A, "target", 30, WHOLE_FLEET, NOW);
    const cached = await db.rollupDayCache.count({ where: { by: "targetId" } });
    expect(cached).toBeGreaterThan(29);
    expect(await getCheckBreakdown(A, "target", 30, WHOLE_FLEET, NOW)).toEqual(first);
    const east = first.find((row) => row.name === "east")?.points ?? [];
    expect(east[19]?.value).toBeCloseTo(50);

    // A row for ten days ago arrives late (as the page benchmark's history does): east/shop then failed all six.
    const target = await db.target.findUniqueOrThrow({ where: { name: "east" } });
    await db.runRollup.create({
      data: { targetId: target.id, namespace: "shop", team: "payments", checkId: A, passed: 0, failed: 6, at: new Date(NOW.getTime() - 10 * DAY) },
    });
    expect(await db.rollupDayCache.count({ where: { by: "targetId" } })).toBeLessThan(cached);
    const again = (await getCheckBreakdown(A, "target", 30, WHOLE_FLEET, NOW)).find((row) => row.name === "east")?.points ?? [];
    expect(again[18]?.value).toBeCloseTo(50);
    // shop 0 of 6 and ops 2 of 2, until yesterday's 3 of 4.
    expect(again[19]?.value).toBeCloseTo(25);
    expect(again[27]?.value).toBeCloseTo(25);
    expect(again[28]?.value).toBeCloseTo((100 * 5) / 6);
  });

  it("keeps a scoped caller's days apart from the whole fleet's", async () => {
    const fleet = await getCheckBreakdown(A, "team", 30, WHOLE_FLEET, NOW);
    const west = await database.db.target.findUniqueOrThrow({ where: { name: "west" } });
    const access = { limits: [{ targets: [west.id], namespaces: [], teams: [] }] };
    const scoped = await getCheckBreakdown(A, "team", 30, access, NOW);
    // Twenty days ago payments was east 1 of 4 and west 0 of 2; the scoped line sees west only.
    expect(fleet.find((row) => row.name === "payments")?.points[9]?.value).toBeCloseTo((100 * 1) / 6);
    expect(scoped.map((row) => row.name)).toEqual(["payments"]);
    expect(scoped[0]?.points[9]?.value).toBeCloseTo(0);
    expect(scoped[0]).toMatchObject({ passed: 1, failed: 1 });
  });
});
