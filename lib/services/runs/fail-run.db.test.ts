import { describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "../targets";
import { makeFleet } from "../testing/fleet";
import { failInterruptedRuns, failRun, INTERRUPTED_RUN_MESSAGE } from "./fail-run";
import { recordRun } from "./record-run";
import { startRun } from "./start-run";

const test = setupTestDatabase();

async function newTarget(name: string): Promise<string> {
  return (await createTarget(test.db, { name, platform: "docker", url: `unix:///tmp/${name}.sock` })).id;
}

/** A client of the test database with a pool of `max` connections, as a worker under load has. */
function smallPool(max: number): Db {
  return createDb(test.url, { poolMax: max });
}

/** Holds one pool connection for `seconds` in an interactive transaction (a batch's write under load). */
function holdConnection(db: Db, seconds: number): Promise<unknown> {
  return db.$transaction((tx) => tx.$executeRawUnsafe(`SELECT pg_sleep(${seconds})`), {
    maxWait: 10_000,
    timeout: 20_000,
  });
}

/** The same client whose first `$executeRaw` fails as a dropped connection does. */
function failingFirst(db: Db): { db: Db; calls: () => number } {
  let calls = 0;
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "$executeRaw") return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<Db["$executeRaw"]>) => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error("Connection terminated unexpectedly"))
          : target.$executeRaw(...args);
      };
    },
  });
  return { db: proxy, calls: () => calls };
}

async function runOf(runId: string) {
  return test.db.collectionRun.findUniqueOrThrow({ where: { id: runId } });
}

describe("failRun", () => {
  it("records the failure while every pool connection is busy for longer than a transaction's maxWait", async () => {
    const busy = await newTarget("busy");
    const other = await newTarget("other");
    const pool = smallPool(2);
    try {
      const { runId } = await startRun(pool, { targetId: busy });
      const { runId: otherRunId } = await startRun(pool, { targetId: other });
      const holders = [holdConnection(pool, 3), holdConnection(pool, 3)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      // What failRun did before: an interactive transaction gives up after Prisma's default 2 s wait for a connection.
      const transaction = pool.$transaction((tx) => tx.collectionRun.findMany({ take: 1 }));
      const failing = failRun(pool, { runId, error: "socket hang up" });
      // Another target's run carries on through the same pool once a connection is free.
      const recording = recordRun(pool, {
        runId: otherRunId,
        targetId: other,
        evaluations: makeFleet({ containers: 3 }),
        complete: true,
      });
      await expect(transaction).rejects.toThrow(/transaction|timeout|time/i);
      await Promise.all([...holders, failing, recording]);

      expect(await runOf(runId)).toMatchObject({ status: "failed", error: "socket hang up" });
      expect((await runOf(runId)).finishedAt).not.toBeNull();
      expect(await runOf(otherRunId)).toMatchObject({ status: "succeeded", containers: 3 });
      const targets = await test.db.target.findMany({ where: { id: { in: [busy, other] } } });
      expect(Object.fromEntries(targets.map((t) => [t.id, t.runFailures]))).toEqual({ [busy]: 1, [other]: 0 });
    } finally {
      await pool.$disconnect();
    }
  });

  it("tries again after a failed attempt, and throws once every attempt failed", async () => {
    const targetId = await newTarget("retry");
    const { runId } = await startRun(test.db, { targetId });
    const flaky = failingFirst(test.db);
    await failRun(flaky.db, { runId, error: "cannot reach the engine" }, [10]);
    expect(flaky.calls()).toBe(2);
    expect(await runOf(runId)).toMatchObject({ status: "failed", error: "cannot reach the engine" });

    const { runId: lost } = await startRun(test.db, { targetId });
    await expect(failRun(failingFirst(test.db).db, { runId: lost, error: "x" }, [])).rejects.toThrow(/terminated/);
    expect((await runOf(lost)).status).toBe("running");
  });
});

describe("failInterruptedRuns", () => {
  it("fails the target's runs still running from before the bound, and only those", async () => {
    const targetId = await newTarget("interrupted");
    const elsewhere = await newTarget("elsewhere");
    const t0 = new Date("2026-06-01T10:00:00Z");
    const bound = new Date("2026-06-01T10:05:00Z");
    const { runId: stuck } = await startRun(test.db, { targetId, now: t0 });
    const { runId: recent } = await startRun(test.db, { targetId, now: new Date("2026-06-01T10:06:00Z") });
    const { runId: done } = await startRun(test.db, { targetId, now: t0 });
    await recordRun(test.db, { runId: done, targetId, evaluations: makeFleet({ containers: 1 }), complete: true });
    const { runId: otherTarget } = await startRun(test.db, { targetId: elsewhere, now: t0 });

    expect(await failInterruptedRuns(test.db, { targetId, startedBefore: bound })).toBe(1);
    expect(await runOf(stuck)).toMatchObject({ status: "failed", error: INTERRUPTED_RUN_MESSAGE });
    expect((await runOf(recent)).status).toBe("running");
    expect((await runOf(done)).status).toBe("succeeded");
    expect((await runOf(otherTarget)).status).toBe("running");
    expect((await test.db.target.findUniqueOrThrow({ where: { id: targetId } })).runFailures).toBe(1);
    expect(await failInterruptedRuns(test.db, { targetId, startedBefore: bound })).toBe(0);
    expect((await test.db.target.findUniqueOrThrow({ where: { id: targetId } })).runFailures).toBe(1);
  });
});
