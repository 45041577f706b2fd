import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";

const BIN = fileURLToPath(new URL("../bin.mjs", import.meta.url));
const TOKEN = "shutdown-token";
const database = setupTestDatabase();
let sim: KubernetesSimulator;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: { [TOKEN]: { user: "rampart", grants: [{ rules: ALL_RULES }] } },
  });
});
afterAll(async () => sim?.close());

/**
 * Starts `rampart worker` with JSON logs, SIGTERMs it once a poll is running, runs `afterSignal` while it drains,
 * and returns its log lines.
 */
async function stopMidRun(
  graceSeconds: number,
  afterSignal: () => Promise<unknown> = async () => undefined,
): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const db = database.db;
  const worker = spawn(process.execPath, [BIN, "worker", "--id", `shutdown-${graceSeconds}`], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      RAMPART_LOG_FORMAT: "json",
      RAMPART_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    },
  });
  let output = "";
  worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while ((await db.collectionRun.count({ where: { status: "running" } })) === 0) {
    if (Date.now() > deadline) throw new Error(`no run started:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  worker.kill("SIGTERM");
  await afterSignal();
  const code = await exited;
  const lines = output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.component !== "cli"); // "compiling the CLI" when a source changed since the last build
  return { code, lines };
}

describe("rampart worker on SIGTERM", () => {
  it("finishes the poll in hand, leases nothing more, logs JSON lines with levels, and exits 0", async () => {
    const db = database.db;
    sim.faults.delayMs = 400; // each list request takes 0.4 s: the poll is still running when the signal comes
    const target = await createTarget(db, {
      name: "slow-cluster",
      platform: "kubernetes",
      url: sim.url,
      credentials: { bearerToken: TOKEN, tlsCa: sim.tls.ca },
    });
    await createTarget(db, { name: "later", platform: "docker", url: "unix:///nowhere/docker.sock" });
    await db.target.update({ where: { name: "later" }, data: { nextRunAt: new Date(Date.now() + 3_600_000) } });

    // "later" falls due while the worker finishes its poll: a stopping worker must not start it. (Due before the
    // signal, a worker may rightly lease it: that raced the signal.)
    const { code, lines } = await stopMidRun(60, () =>
      db.target.update({ where: { name: "later" }, data: { nextRunAt: new Date(0) } }),
    );
    expect(code).toBe(0);
    const runs = await db.collectionRun.findMany({ include: { target: true } });
    expect(runs.map((r) => [r.target.name, r.status])).toEqual([["slow-cluster", "succeeded"]]);
    expect((await db.target.findUniqueOrThrow({ where: { id: target.id } })).leaseOwner).toBeNull();
    expect(
      lines.every((l) => typeof l.time === "string" && ["info", "warn", "error"].includes(l.level as string)),
    ).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual([
      "shutdown-60: polling due targets (concurrency 4)",
      "SIGTERM: stopping, finishing 1 poll(s) in hand (up to 60 s)",
      `target ${target.id} run ${runs[0]!.id} succeeded`,
      "stopped",
    ]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("cancels a poll still running after the grace period and records it as failed", async () => {
    const db = database.db;
    sim.faults.delayMs = 3_000;
    await db.target.update({ where: { name: "slow-cluster" }, data: { nextRunAt: new Date(0) } });
    await db.target.update({ where: { name: "later" }, data: { enabled: false } });
    const { code, lines } = await stopMidRun(1);
    expect(code).toBe(0);
    const last = await db.collectionRun.findFirstOrThrow({ orderBy: { startedAt: "desc" } });
    expect(last).toMatchObject({ status: "failed", error: expect.stringContaining("was cancelled") });
    expect(lines.at(-1)).toMatchObject({ level: "info", msg: "stopped, 1 poll(s) cancelled", cancelled: 1 });
  });
});
