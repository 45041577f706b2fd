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
  it("keeps every run of the last 30 days and only the last run of each older day", async () => {
    const { id: targetId } = await createTarget(test.db, {
      name: "compact",
      platform: "kubernetes",
      url: "https://k.test",
    });
    const runs: Record<string, string> = {};
    for (const [label, when] of [
      ["old-morning", at(40, 8)],
      ["old-evening", at(40, 20)],
      ["recent-morning", at(2, 8)],
      ["recent-evening", at(2, 20)],
    ] as const) {
      const { runId } = await startRun(test.db, { targetId, now: when });
      await recordRun(test.db, {
        runId,
        targetId,
        evaluations: makeFleet({ containers: 3 }),
        complete: true,
        now: when,
      });
      runs[label] = runId;
    }
    const deleted = await compactRollups(test.db, { now: NOW });
    const left = await test.db.runRollup.findMany({
      where: { targetId },
      select: { runId: true },
      distinct: ["runId"],
    });
    expect(new Set(left.map((r) => r.runId))).toEqual(
      new Set([runs["old-evening"], runs["recent-morning"], runs["recent-evening"]]),
    );
    expect(deleted).toBeGreaterThan(0);
    expect(await compactRollups(test.db, { now: NOW })).toBe(0);
  });
});
