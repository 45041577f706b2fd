import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "../targets";
import { makeFleet } from "../testing/fleet";
import { compactRollups } from "./compact-rollups";
import { recordRun } from "./record-run";
import { startRun } from "./start-run";

const test = setupTestDatabase();
const NOW = new Date("2026-06-01T12:00:00Z");
const at = (daysAgo: number, hour: number) => new Date(Date.UTC(2026, 5, 1 - daysAgo, hour));

describe("compactRollups", () => {
  it("keeps every change of the last 30 days and only each key's last row of an older day", async () => {
    const { id: targetId } = await createTarget(test.db, {
      name: "compact",
      platform: "kubernetes",
      url: "https://k.test",
    });
    const when = [at(40, 8), at(40, 20), at(2, 8), at(2, 20)];
    for (const [passing, now] of when.entries()) {
      const { runId } = await startRun(test.db, { targetId, now });
      const evaluations = makeFleet({ containers: 3, statusB: (i) => (i < passing ? "pass" : "fail") });
      await recordRun(test.db, { runId, targetId, evaluations, complete: true, now });
    }
    const rows = async () =>
      (await test.db.runRollup.findMany({ where: { targetId }, orderBy: [{ checkId: "asc" }, { at: "asc" }] })).map(
        (r) => [r.checkId, r.at.toISOString(), r.passed, r.failed],
      );
    const iso = (d: Date) => d.toISOString();
    // check-a never changes: one row, from the first run; check-b changes every run.
    expect(await rows()).toEqual([
      ["check-a", iso(at(40, 8)), 3, 0],
      ["check-b", iso(at(40, 8)), 0, 3],
      ["check-b", iso(at(40, 20)), 1, 2],
      ["check-b", iso(at(2, 8)), 2, 1],
      ["check-b", iso(at(2, 20)), 3, 0],
    ]);
    expect(await compactRollups(test.db, { now: NOW })).toBe(1);
    expect(await rows()).toEqual([
      ["check-a", iso(at(40, 8)), 3, 0],
      ["check-b", iso(at(40, 20)), 1, 2],
      ["check-b", iso(at(2, 8)), 2, 1],
      ["check-b", iso(at(2, 20)), 3, 0],
    ]);
    expect(await compactRollups(test.db, { now: NOW })).toBe(0);
  });
});
