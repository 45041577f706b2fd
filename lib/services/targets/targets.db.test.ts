import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptCredentials } from "@/lib/auth/credentials";
import { poolSettings } from "@/lib/db/client";
import { setupTestDatabase } from "@/lib/db/testing";
import {
  createTarget,
  deleteTarget,
  leaseDueTargets,
  pollTargetNow,
  releaseTarget,
  renewLease,
  setTargetEnabled,
  updateTarget,
} from ".";

const test = setupTestDatabase();
const SECRET = "tok-3f9a-plaintext-never-stored";
const T0 = new Date("2026-02-01T00:00:00Z");
let dataDir = "";

beforeAll(async () => {
  // The key file path of lib/auth/credentials, in a folder of this test.
  dataDir = await mkdtemp(path.join(tmpdir(), "rampart-key-"));
  delete process.env.RAMPART_SECRET_KEY;
  process.env.RAMPART_DATA_DIR = dataDir;
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

let count = 0;
async function dueTarget(extra: { enabled?: boolean } = {}) {
  count += 1;
  const target = await createTarget(test.db, {
    name: `t-${count}`,
    platform: "docker",
    url: "unix:///var/run/docker.sock",
    ...extra,
  });
  await pollTargetNow(test.db, target.id, T0);
  return target.id;
}

async function clearTargets() {
  await test.db.target.deleteMany({});
}

describe("leases", () => {
  it("never give the same target to two workers leasing at once", async () => {
    await clearTargets();
    const ids = await Promise.all(Array.from({ length: 12 }, () => dueTarget()));
    const input = { limit: 8, leaseSeconds: 60, now: new Date(T0.getTime() + 1000) };
    const [a, b] = await Promise.all([
      leaseDueTargets(test.db, { ...input, workerId: "worker-a" }),
      leaseDueTargets(test.db, { ...input, workerId: "worker-b" }),
    ]);
    const leased = [...a, ...b].map((t) => t.id);
    expect(new Set(leased).size).toBe(leased.length);
    expect(leased.length).toBe(12);
    expect(new Set(leased)).toEqual(new Set(ids));
    const again = await leaseDueTargets(test.db, { ...input, workerId: "worker-c" });
    expect(again).toEqual([]);
  });

  it("lets another worker take over an expired lease, after which the first cannot renew or release", async () => {
    await clearTargets();
    const id = await dueTarget();
    const first = await leaseDueTargets(test.db, { workerId: "a", limit: 5, leaseSeconds: 30, now: T0 });
    expect(first.map((t) => t.id)).toEqual([id]);
    expect(
      await leaseDueTargets(test.db, {
        workerId: "b",
        limit: 5,
        leaseSeconds: 30,
        now: new Date(T0.getTime() + 29_000),
      }),
    ).toEqual([]);
    const taken = await leaseDueTargets(test.db, {
      workerId: "b",
      limit: 5,
      leaseSeconds: 30,
      now: new Date(T0.getTime() + 31_000),
    });
    expect(taken.map((t) => t.leaseOwner)).toEqual(["b"]);
    expect(await renewLease(test.db, { targetId: id, workerId: "a", leaseSeconds: 30 })).toBe(false);
    expect(await releaseTarget(test.db, { targetId: id, workerId: "a" })).toBe(false);
    const now = new Date(T0.getTime() + 40_000);
    expect(await releaseTarget(test.db, { targetId: id, workerId: "b", now })).toBe(true);
    const row = await test.db.target.findUniqueOrThrow({ where: { id } });
    expect(row.leaseOwner).toBeNull();
    const delay = row.nextRunAt.getTime() - now.getTime();
    expect(delay).toBeGreaterThanOrEqual(270_000);
    expect(delay).toBeLessThanOrEqual(330_000);
  });

  it("skip disabled targets and targets not yet due", async () => {
    await clearTargets();
    const disabled = await dueTarget();
    await setTargetEnabled(test.db, disabled, false);
    const later = await dueTarget();
    await test.db.target.update({ where: { id: later }, data: { nextRunAt: new Date(T0.getTime() + 3_600_000) } });
    const due = await dueTarget();
    const leased = await leaseDueTargets(test.db, { workerId: "w", limit: 10, leaseSeconds: 60, now: T0 });
    expect(leased.map((t) => t.id)).toEqual([due]);
  });
});

describe("credentials", () => {
  it("are stored only encrypted, with a 0600 key file, and decrypt to what was given", async () => {
    await clearTargets();
    const target = await createTarget(test.db, {
      name: "with-token",
      platform: "kubernetes",
      url: "https://kubernetes.test",
      credentials: { token: SECRET },
    });
    expect(target).not.toHaveProperty("credentials");
    expect(target.hasCredentials).toBe(true);
    expect((await stat(path.join(dataDir, "secret.key"))).mode & 0o777).toBe(0o600);

    const client = new pg.Client({ connectionString: poolSettings(test.url).connectionString });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(tables.rows.length).toBeGreaterThan(5);
      for (const { table_name } of tables.rows) {
        const dump = await client.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
        expect(dump.rows.some((r: { row: string }) => r.row.includes("tok-3f9a"))).toBe(false);
      }
    } finally {
      await client.end();
    }

    await pollTargetNow(test.db, target.id, T0);
    const [leased] = await leaseDueTargets(test.db, { workerId: "w", limit: 1, leaseSeconds: 60, now: T0 });
    expect(leased).not.toHaveProperty("credentials");
    const stored = await test.db.target.findUniqueOrThrow({ where: { id: target.id } });
    expect(decryptCredentials(stored.credentials ?? "")).toEqual({ token: SECRET });
  });

  it("are kept by an update that does not mention them and removed by null", async () => {
    const target = await createTarget(test.db, {
      name: "kept",
      platform: "docker",
      url: "unix:///x.sock",
      credentials: { key: "k" },
    });
    expect((await updateTarget(test.db, target.id, { intervalSeconds: 60 })).hasCredentials).toBe(true);
    expect((await updateTarget(test.db, target.id, { credentials: null })).hasCredentials).toBe(false);
    await deleteTarget(test.db, target.id);
    expect(await test.db.target.count({ where: { id: target.id } })).toBe(0);
  });
});
