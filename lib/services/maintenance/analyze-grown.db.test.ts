import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { analyzeGrownTables } from "./analyze-grown";

const test = setupTestDatabase();
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: test.url });
  await client.connect();
});
afterAll(() => client.end());

/** Inserts `n` Fix rows and waits until the statistics collector counts them (a backend reports when idle). */
async function insertFixes(n: number): Promise<void> {
  await client.query(
    `INSERT INTO "Fix" ("id", "remediation") SELECT gen_random_uuid(), jsonb_build_object('n', i) FROM generate_series(1, $1) i`,
    [n],
  );
  await client.query("SELECT pg_stat_force_next_flush()");
  for (let tries = 0; tries < 100; tries++) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'Fix'`,
    );
    if (Number(rows[0]?.n) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the inserts never reached pg_stat_user_tables");
}

async function fixStatistics(): Promise<{ reltuples: number; analyzed: boolean }> {
  const { rows } = await client.query<{ reltuples: number; analyzed: boolean }>(
    `SELECT c.reltuples, s.last_analyze IS NOT NULL AS analyzed
     FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'Fix'`,
  );
  return rows[0] ?? { reltuples: Number.NaN, analyzed: false };
}

describe("analyzeGrownTables", () => {
  it("leaves a table that changed by fewer rows than the threshold", async () => {
    await insertFixes(200);
    expect(await analyzeGrownTables(test.db, { minChanged: 500 })).not.toContain("Fix");
    expect((await fixStatistics()).analyzed).toBe(false);
  });

  it("analyzes a table that outgrew its statistics", async () => {
    await insertFixes(1000);
    expect(await analyzeGrownTables(test.db, { minChanged: 500 })).toContain("Fix");
    expect(await fixStatistics()).toEqual({ reltuples: 1200, analyzed: true });
  });

  it("does not analyze again until the table grows by its analyzed size once more", async () => {
    await insertFixes(1000);
    expect(await analyzeGrownTables(test.db, { minChanged: 500 })).not.toContain("Fix");
    await insertFixes(800);
    expect(await analyzeGrownTables(test.db, { minChanged: 500 })).toContain("Fix");
    expect((await fixStatistics()).reltuples).toBe(3000);
  });
});
