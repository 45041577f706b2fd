import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import {
  createTarget,
  dropLease,
  leaseDueTargets,
  pollTargetNow,
  releaseTarget,
  renewLease,
  setEventStreamStatus,
  setTargetEnabled,
} from ".";

const test = setupTestDatabase();
const T0 = new Date("2026-03-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let count = 0;

beforeAll(() => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
});

async function followedTarget(): Promise<string> {
  count += 1;
  const { id } = await createTarget(test.db, {
    name: `followed-${count}`,
    platform: "docker",
    url: "unix:///var/run/docker.sock",
    intervalSeconds: 60,
  });
  await test.db.target.update({ where: { id }, data: { nextRunAt: T0 } });
  const [leased] = await leaseDueTargets(test.db, { workerId: "w1", limit: 10, leaseMs: 30_000, now: T0 });
  expect(leased?.id).toBe(id);
  expect(await releaseTarget(test.db, { targetId: id, workerId: "w1", now: T0, keepLeaseMs: 30_000 })).toBe(true);
  return id;
}

const row = (id: string) => test.db.target.findUniqueOrThrow({ where: { id } });

describe("a lease kept while following a target's events", () => {
  it("stays with its worker after the poll, and the same worker leases the target again when it is due", async () => {
    const id = await followedTarget();
    expect(await row(id)).toMatchObject({ leaseOwner: "w1", leaseExpiresAt: at(30) });
    await pollTargetNow(test.db, id, at(10));
    expect(await leaseDueTargets(test.db, { workerId: "w2", limit: 10, leaseMs: 30_000, now: at(10) })).toEqual([]);
    const excluded = await leaseDueTargets(test.db, {
      workerId: "w1",
      limit: 10,
      leaseMs: 30_000,
      now: at(10),
      exclude: [id],
    });
    expect(excluded).toEqual([]);
    const again = await leaseDueTargets(test.db, { workerId: "w1", limit: 10, leaseMs: 30_000, now: at(10) });
    expect(again.map((t) => t.id)).toEqual([id]);
  });

  it("ends when dropped, keeping the next run time, or when the target is disabled", async () => {
    const id = await followedTarget();
    const { nextRunAt } = await row(id);
    expect(await dropLease(test.db, { targetId: id, workerId: "w2" })).toBe(false);
    expect(await dropLease(test.db, { targetId: id, workerId: "w1" })).toBe(true);
    expect(await row(id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, nextRunAt });

    const other = await followedTarget();
    expect(await renewLease(test.db, { targetId: other, workerId: "w1", leaseMs: 30_000, whileEnabled: true })).toBe(
      true,
    );
    await setTargetEnabled(test.db, other, false);
    expect(await renewLease(test.db, { targetId: other, workerId: "w1", leaseMs: 30_000, whileEnabled: true })).toBe(
      false,
    );
    expect(await renewLease(test.db, { targetId: other, workerId: "w1", leaseMs: 30_000 })).toBe(true);
  });
});

describe("setEventStreamStatus", () => {
  it("writes live every time, and polling only when the reason changes", async () => {
    const id = await followedTarget();
    await setEventStreamStatus(test.db, { targetId: id, state: "live", now: at(1) });
    expect((await row(id)).eventStream).toEqual({ state: "live", since: at(1).toISOString() });
    await setEventStreamStatus(test.db, { targetId: id, state: "polling", reason: "dropped", now: at(2) });
    await setEventStreamStatus(test.db, { targetId: id, state: "polling", reason: "dropped", now: at(3) });
    expect((await row(id)).eventStream).toEqual({ state: "polling", since: at(2).toISOString(), reason: "dropped" });
    await setEventStreamStatus(test.db, { targetId: id, state: "polling", reason: "lease lost", now: at(4) });
    expect((await row(id)).eventStream).toMatchObject({ since: at(4).toISOString(), reason: "lease lost" });
    await setEventStreamStatus(test.db, { targetId: id, state: "live", now: at(5) });
    await setEventStreamStatus(test.db, { targetId: id, state: "live", now: at(6) });
    expect((await row(id)).eventStream).toEqual({ state: "live", since: at(6).toISOString() });
  });
});
