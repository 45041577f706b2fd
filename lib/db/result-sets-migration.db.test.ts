import { describe, expect, it } from "vitest";
import { resultSetId } from "@/lib/services/runs/container-rows";
import { migrate } from "./migrate";
import { setupTestDatabase } from "./testing";

// The migration that stores each distinct combination of passes and checks not judged once, on a database with rows.
const MIGRATION = "20261206190000_result_sets";
const test = setupTestDatabase({ migrationsBefore: MIGRATION });

const sql = test.sql;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

// Messages a check or a hostile image could leave: quotes, backslashes, control characters, markup, non-ASCII.
const HOSTILE = 'no "report" for \\x\n\t\u0001\u001f </script> ünïcødé 🙂 \u2028 /';
const SETS: Record<string, { passed: string[]; notJudged: { id: string; status: string; message: string }[] }> = {
  a: { passed: ["a-check", "b-check"], notJudged: [{ id: "c-check", status: "not-evaluated", message: HOSTILE }] },
  b: { passed: ["a-check", "b-check"], notJudged: [{ id: "c-check", status: "not-evaluated", message: HOSTILE }] },
  c: { passed: [], notJudged: [] },
  d: {
    passed: ["z-check", "a-check"],
    notJudged: [
      { id: "b-check", status: "not-applicable", message: "Kubernetes only" },
      { id: "a'check", status: "not-evaluated", message: "" },
    ],
  },
};

describe(MIGRATION, () => {
  it("stores each distinct combination once, every container pointing at its own, with the id the writer computes", async () => {
    await sql(
      `INSERT INTO "Target" ("id", "name", "platform", "url", "updatedAt") VALUES ($1, 'host', 'docker', 'unix:///d.sock', now())`,
      [id(1)],
    );
    await sql(`INSERT INTO "Workload" ("id", "targetId", "kind", "name") VALUES ($1, $2, 'Container', 'web')`, [
      id(2),
      id(1),
    ]);
    for (const [n, [name, set]] of Object.entries(SETS).entries())
      await sql(
        `INSERT INTO "Container" ("id", "workloadId", "name", "image", "factsHash", "passed", "notJudged") VALUES ($1, $2, $3, 'app:1', 'h', $4, $5)`,
        [id(10 + n), id(2), name, JSON.stringify(set.passed), JSON.stringify(set.notJudged)],
      );

    expect((await migrate(test.url)).applied).toContain(MIGRATION);

    expect(await sql(`SELECT count(*)::int AS n FROM "ResultSet"`)).toEqual([{ n: 3 }]);
    const rows = await sql<{ name: string; resultSetId: string; passed: unknown; notJudged: unknown }>(
      `SELECT c."name", c."resultSetId", r."passed", r."notJudged" FROM "Container" c JOIN "ResultSet" r ON r."id" = c."resultSetId" ORDER BY c."name"`,
    );
    expect(rows.map((r) => r.name)).toEqual(Object.keys(SETS));
    for (const row of rows) {
      const set = SETS[row.name]!;
      expect({ passed: row.passed, notJudged: row.notJudged }).toEqual(set);
      expect(row.resultSetId).toBe(resultSetId(set.passed, set.notJudged as never));
    }
    expect(rows[0]?.resultSetId).toBe(rows[1]?.resultSetId);
    expect(
      await sql(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'Container' AND column_name IN ('passed', 'notJudged')`,
      ),
    ).toEqual([]);
  });
});
