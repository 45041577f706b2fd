import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDockerProxy, type DockerProxy } from "@/e2e/support/docker-proxy";
import { canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import { scanOutputSchema } from "@/lib/cli/output/schema";
import { dumpAllTables, setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { buildFleetImages, fleetCases, PLANTED, runFleet, type FleetCase } from "./docker/testing/fleet";
import { runCollection } from "./run-collection";
import { startScheduler } from "./scheduler";

const enabled = canRunDockerd();
const BIN = fileURLToPath(new URL("../cli/bin.mjs", import.meta.url));
const SECRET_CASES = new Set([
  "hardened",
  "defaults",
  "env-secret",
  "image-env-secret",
  "image-build-arg",
  "shop-web-1",
  "shop-web-2",
]);

function rampart(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!enabled)("runCollection and the scheduler against a private dockerd", () => {
  const database = setupTestDatabase();
  let engine: PrivateDockerd;
  let cases: FleetCase[];

  beforeAll(async () => {
    engine = await startDockerd({ registry: true });
    const images = await buildFleetImages(engine);
    cases = fleetCases(engine.socket).filter((item) => SECRET_CASES.has(item.name));
    await runFleet(engine, images, cases);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  async function dockerTarget(name: string, url: string): Promise<string> {
    return (await createTarget(database.db, { name, platform: "docker", url, settings: { includeStopped: true } })).id;
  }

  async function containersOf(targetId: string) {
    return database.db.container.findMany({ where: { workload: { targetId } }, orderBy: { name: "asc" } });
  }

  it("stores a run with evidence naming secret variables and no planted secret value anywhere", async () => {
    const targetId = await dockerTarget("local", engine.url);
    const result = await runCollection({ db: database.db, targetId });
    expect(result).toMatchObject({ status: "succeeded", containers: cases.length });
    const run = await database.db.collectionRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.status).toBe("succeeded");
    const dump = await dumpAllTables(database.db);
    expect(dump).toContain("DB_PASSWORD");
    expect(dump).toContain("API_TOKEN");
    for (const value of Object.values(PLANTED)) expect(dump).not.toContain(value);
  });

  it("marks a removed container gone after the next complete run", async () => {
    const target = await database.db.target.findUniqueOrThrow({ where: { name: "local" } });
    await engine.docker(["rm", "-f", "defaults"]);
    const result = await runCollection({ db: database.db, targetId: target.id });
    expect(result.status).toBe("succeeded");
    const rows = await containersOf(target.id);
    expect(rows.filter((row) => row.goneAt !== null).map((row) => row.name)).toEqual(["defaults"]);
    expect(rows.filter((row) => row.goneAt === null)).toHaveLength(cases.length - 1);
  });

  it("records a run failed when dockerd dies mid-run, marks nothing gone, and recovers on the next run", async () => {
    let killDuringInspect = true;
    let killed = false;
    const proxy: DockerProxy = await startDockerProxy(engine.socket, engine.dir, async (_, urlPath) => {
      if (!killDuringInspect || !/\/containers\/[0-9a-f]{64}\/json/.test(urlPath)) return;
      killDuringInspect = false;
      await engine.kill();
      killed = true;
    });
    try {
      const targetId = await dockerTarget("proxied", proxy.url);
      killDuringInspect = false;
      const first = await runCollection({ db: database.db, targetId });
      expect(first.status).toBe("succeeded");
      const before = await containersOf(targetId);

      killDuringInspect = true;
      // A poll under a new inspect epoch (the next day) reads every container again, so dockerd dies mid-inspect.
      await database.db.target.update({ where: { id: targetId }, data: { inspectedEpoch: null } });
      const failed = await runCollection({ db: database.db, targetId });
      expect(killed).toBe(true);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(new RegExp(`^cannot reach Docker at ${proxy.url}: `));
      const run = await database.db.collectionRun.findUniqueOrThrow({ where: { id: failed.runId } });
      expect({ status: run.status, error: run.error }).toEqual({ status: "failed", error: failed.error });
      const during = await containersOf(targetId);
      expect(during.map((row) => [row.name, row.goneAt])).toEqual(before.map((row) => [row.name, null]));

      await engine.restart();
      const recovered = await runCollection({ db: database.db, targetId });
      expect(recovered).toMatchObject({ status: "succeeded", containers: before.length });
      const after = await containersOf(targetId);
      expect(after.map((row) => [row.name, row.goneAt])).toEqual(before.map((row) => [row.name, null]));
    } finally {
      await proxy.close();
      await database.db.target.updateMany({ where: { name: "proxied" }, data: { enabled: false } });
    }
  });

  it("reads again only containers whose listing changed; a docker update waits for a new inspect epoch", async () => {
    const inspected: string[] = [];
    const proxy = await startDockerProxy(engine.socket, engine.dir, async (_, urlPath) => {
      const id = /\/containers\/([0-9a-f]{64})\/json/.exec(urlPath)?.[1];
      if (id) inspected.push(id);
    });
    const idOf = async (name: string) => (await engine.docker(["inspect", "-f", "{{.Id}}", name])).trim();
    const resourceFinding = async (targetId: string) =>
      database.db.finding.findFirstOrThrow({
        where: { checkId: "resource-limits", container: { name: "env-secret", workload: { targetId } } },
      });
    let exceptionId: string | undefined;
    try {
      const targetId = await dockerTarget("listed", proxy.url);
      const first = await runCollection({ db: database.db, targetId });
      expect(first.status).toBe("succeeded");
      expect(new Set(inspected).size).toBe(first.containers);

      inspected.length = 0;
      const unchanged = await runCollection({ db: database.db, targetId });
      expect(unchanged).toMatchObject({ status: "succeeded", containers: first.containers, judged: 0 });
      expect(inspected).toEqual([]);

      await engine.docker(["stop", "-t", "0", "env-secret"]);
      const stopped = await runCollection({ db: database.db, targetId });
      expect(stopped).toMatchObject({ status: "succeeded", containers: first.containers, judged: 1 });
      expect(inspected).toEqual([await idOf("env-secret")]);

      // Limits change in place: nothing in the listing shows it, so an unchanged epoch leaves it unread.
      await engine.docker([
        "update",
        "--memory=64m",
        "--memory-swap=128m",
        "--cpus=0.5",
        "--pids-limit=64",
        "env-secret",
      ]);
      inspected.length = 0;
      const updated = await runCollection({ db: database.db, targetId });
      expect(updated).toMatchObject({ status: "succeeded", judged: 0 });
      expect(inspected).toEqual([]);
      expect((await resourceFinding(targetId)).status).toBe("open");

      // A new epoch (here an exception; every day anyway) reads everything again once and catches the update.
      exceptionId = (
        await database.db.exception.create({
          data: {
            checkId: "image-tag-not-mutable",
            workload: "nothing-here",
            reason: "test",
            owner: "test",
            createdBy: "test",
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        })
      ).id;
      const epoch = await runCollection({ db: database.db, targetId });
      expect(epoch).toMatchObject({ status: "succeeded", containers: first.containers, judged: 1 });
      expect(new Set(inspected).size).toBe(first.containers);
      expect((await resourceFinding(targetId)).status).toBe("resolved");

      inspected.length = 0;
      expect(await runCollection({ db: database.db, targetId })).toMatchObject({ status: "succeeded", judged: 0 });
      expect(inspected).toEqual([]);
    } finally {
      await proxy.close();
      await engine.docker(["start", "env-secret"]);
      if (exceptionId) await database.db.exception.delete({ where: { id: exceptionId } });
      await database.db.target.updateMany({ where: { name: "listed" }, data: { enabled: false } });
    }
  });

  it("shows a clear error for an unreachable target while the scheduler still polls another", async () => {
    const missing = `unix://${engine.dir}/missing.sock`;
    const goneHost = await dockerTarget("gone-host", missing);
    const local = await database.db.target.findUniqueOrThrow({ where: { name: "local" } });
    await database.db.target.update({ where: { id: local.id }, data: { nextRunAt: new Date(0) } });
    const seen = new Map<string, Awaited<ReturnType<typeof runCollection>>>();
    const scheduler = startScheduler({
      db: database.db,
      workerId: "test-worker",
      concurrency: 2,
      idleMs: 100,
      onRun: (targetId, result) => seen.set(targetId, result),
    });
    const deadline = Date.now() + 60_000;
    while (!(seen.has(goneHost) && seen.has(local.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    expect(seen.get(goneHost)).toMatchObject({
      status: "failed",
      error: `cannot reach Docker at ${missing}: connect ENOENT`,
    });
    expect(seen.get(local.id)).toMatchObject({ status: "succeeded", containers: cases.length - 1 });
    const released = await database.db.target.findMany({ where: { id: { in: [goneHost, local.id] } } });
    for (const target of released) {
      expect(target.leaseOwner).toBeNull();
      expect(target.nextRunAt.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it("rampart collect prints the scan document for a Docker URL and stores a run for a named target", async () => {
    const live = await rampart(["collect", "--docker", engine.url, "--once", "--format", "json"]);
    expect(live.code).toBe(1);
    const document = scanOutputSchema.parse(JSON.parse(live.stdout));
    expect(new Set(document.results.map((result) => result.source))).toEqual(new Set([engine.url]));
    expect(document.summary.containers).toBe(cases.length - 1);
    for (const value of Object.values(PLANTED)) expect(live.stdout + live.stderr).not.toContain(value);

    const runsBefore = await database.db.collectionRun.count();
    const stored = await rampart(["collect", "--target", "local", "--once", "--format", "json"], {
      DATABASE_URL: database.url,
    });
    expect(stored.code).toBe(1);
    expect(scanOutputSchema.parse(JSON.parse(stored.stdout)).summary).toEqual(document.summary);
    expect(await database.db.collectionRun.count()).toBe(runsBefore + 1);

    const unreachable = await rampart(["collect", "--docker", `unix://${engine.dir}/missing.sock`, "--once"]);
    expect(unreachable).toMatchObject({ code: 2, stdout: "" });
    expect(unreachable.stderr).toContain(`cannot reach Docker at unix://${engine.dir}/missing.sock: connect ENOENT`);
  });

  it("rampart worker polls due targets until SIGTERM and exits cleanly", async () => {
    const local = await database.db.target.findUniqueOrThrow({ where: { name: "local" } });
    await database.db.target.updateMany({ where: { name: { not: "local" } }, data: { enabled: false } });
    await database.db.target.update({ where: { id: local.id }, data: { nextRunAt: new Date(0) } });
    const runsBefore = await database.db.collectionRun.count({ where: { targetId: local.id } });
    const worker = spawn(process.execPath, [BIN, "worker", "--id", "test-worker-process"], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    let output = "";
    worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!output.includes(" succeeded") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain(`target ${local.id} run `);
    expect(
      await database.db.collectionRun.count({ where: { targetId: local.id, status: "succeeded" } }),
    ).toBeGreaterThan(runsBefore);
    const released = await database.db.target.findUniqueOrThrow({ where: { id: local.id } });
    expect(released.leaseOwner).toBeNull();
  });
});
