import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { loadDemoFleet, removeDemoData } from "./load-demo";

const database = setupTestDatabase();
const NOW = new Date("2026-05-20T10:00:00Z");

describe("loadDemoFleet", () => {
  it("polls simulated clusters and Docker hosts once per past day through the real pipeline, and removes them in one go", async () => {
    const db = database.db;
    const kept = await db.target.create({ data: { name: "real-host", platform: "docker", url: "unix:///r.sock" } });
    const result = await loadDemoFleet(db, { days: 3, clusters: [12], dockerHosts: 1, containersPerHost: 4, now: NOW });
    expect(result.targets).toBe(2);
    expect(result.runs).toBe(6);
    const targets = await db.target.findMany({ where: { name: { startsWith: "demo-" } }, orderBy: { name: "asc" } });
    expect(targets.map((t) => [t.platform, t.enabled, (t.settings as { demo?: boolean }).demo])).toEqual([
      ["kubernetes", false, true],
      ["docker", false, true],
    ]);
    const runs = await db.collectionRun.findMany({ where: { targetId: { in: targets.map((t) => t.id) } } });
    const days = new Set(runs.map((run) => run.startedAt.toISOString().slice(0, 10)));
    expect(days).toEqual(new Set(["2026-05-18", "2026-05-19", "2026-05-20"]));
    expect(runs.every((run) => run.status === "succeeded")).toBe(true);
    const clusterWorkloads = await db.workload.findMany({ where: { targetId: targets[0]?.id } });
    expect(clusterWorkloads.length).toBeGreaterThan(0);
    expect(clusterWorkloads.every((w) => typeof w.podSecurity === "object" && w.podSecurity !== null)).toBe(true);
    expect(await db.runRollup.count({ where: { targetId: { in: targets.map((t) => t.id) } } })).toBeGreaterThan(0);
    expect(await db.container.count({ where: { goneAt: null } })).toBe(result.containers);

    expect(await removeDemoData(db)).toBe(2);
    expect(await db.target.findMany({ select: { id: true } })).toEqual([{ id: kept.id }]);
    expect(await db.runRollup.count()).toBe(0);
  }, 180_000);
});
