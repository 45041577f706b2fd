import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { spawnDockerSimulator, type SimulatorProcess } from "@/lib/simulator/docker";
import { collectTarget } from "./collect-target";

// Several worker processes need a real server: the embedded PGlite is one session, where SKIP LOCKED means nothing.
const hasServer = Boolean(process.env.DATABASE_URL);
if (!hasServer) console.warn("skipping the horizontal workers test: it needs a Postgres server in DATABASE_URL");

const BIN = fileURLToPath(new URL("../cli/bin.mjs", import.meta.url));
const TARGETS = 50;
const WORKERS = 4;
const LEASE_SECONDS = 3;

function startWorker(url: string, id: string): ChildProcess {
  return spawn(process.execPath, [BIN, "worker", "--id", id, "--concurrency", "2"], {
    env: { ...process.env, DATABASE_URL: url, RAMPART_LEASE_SECONDS: String(LEASE_SECONDS) },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!hasServer)("rampart worker processes sharing targets", () => {
  const test = setupTestDatabase();
  let dir: string;
  let sim: SimulatorProcess;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rampart-workers-"));
    sim = await spawnDockerSimulator({ hosts: TARGETS, containersPerHost: 24, seed: 21, socketDir: dir, delayMs: 40 });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("polls every target once, takes over a killed worker's targets after its lease, and duplicates nothing", async () => {
    const db = test.db;
    const ids = new Map<string, string>();
    for (const engine of sim.engines) {
      const { id } = await createTarget(db, {
        name: engine.host,
        platform: "docker",
        url: engine.url,
        intervalSeconds: 3600,
      });
      ids.set(id, engine.url);
    }
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(test.url, `w${i}`));

    const victim = await until("w0 to be mid-run", async () => {
      const leased = await db.target.findMany({
        where: { leaseOwner: "w0" },
        select: { id: true, leaseExpiresAt: true },
      });
      if (leased.length === 0) return undefined;
      const running = await db.collectionRun.count({
        where: { targetId: { in: leased.map((t) => t.id) }, status: "running" },
      });
      return running > 0 ? leased : undefined;
    });
    workers[0]!.kill("SIGKILL");
    const killedAt = new Date();

    await until("every target to have a succeeded run", async () => {
      const done = await db.collectionRun.groupBy({ by: ["targetId"], where: { status: "succeeded" } });
      return done.length === TARGETS ? true : undefined;
    });

    const runs = await db.collectionRun.findMany({ orderBy: { startedAt: "asc" } });
    const victimIds = new Set(victim.map((t) => t.id));
    for (const target of victim) {
      const takeover = runs.find((r) => r.targetId === target.id && r.status === "succeeded");
      expect(takeover?.startedAt.getTime()).toBeGreaterThanOrEqual(target.leaseExpiresAt!.getTime() - 50);
    }
    const orphaned = runs.filter((r) => r.status === "running");
    expect(orphaned.every((r) => victimIds.has(r.targetId))).toBe(true);
    expect(runs.filter((r) => r.status === "failed")).toEqual([]);
    for (const id of ids.keys()) {
      const own = runs.filter((r) => r.targetId === id && r.finishedAt);
      expect(own.filter((r) => r.status === "succeeded")).toHaveLength(1);
      for (let i = 1; i < own.length; i++) expect(own[i]!.startedAt >= own[i - 1]!.finishedAt!).toBe(true);
    }
    expect(killedAt.getTime()).toBeLessThan(runs.at(-1)!.startedAt.getTime());

    let expected = 0;
    for (const url of ids.values()) {
      const { evaluations } = await collectTarget({
        name: "check",
        platform: "docker",
        url,
        settings: {},
        credentials: {},
      });
      for (const c of evaluations.flatMap((e) => e.containers))
        expected += c.checks.filter((r) => r.status === "fail").length;
    }
    const findings = await db.finding.count();
    const distinct = await db.finding.groupBy({ by: ["containerId", "checkId"] });
    expect(findings).toBe(expected);
    expect(distinct).toHaveLength(expected);
  }, 240_000);
});
