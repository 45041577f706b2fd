import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getLogs } from "@prisma/debug";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { StatementCounter } from "@/lib/services/statement-counter";
import { forgetStatementLogs } from "./statement-logs";

const database = setupTestDatabase();

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A JSON parameter of about `chars` characters that no other statement sent. */
function parameter(marker: string, chars: number): string {
  return JSON.stringify(Array.from({ length: chars / 100 }, (_, i) => ({ n: i, text: `${marker}-${"x".repeat(80)}` })));
}

const countRows = (json: string) =>
  Prisma.sql`SELECT count(*)::int AS n FROM jsonb_to_recordset(${json}::jsonb) AS t(n int, text text)`;

describe("Prisma's debug histories", () => {
  it("keep a statement's parameters until forgotten (the adapter's history)", async () => {
    await database.db.$queryRaw(countRows(parameter("kept-marker", 1000)));
    expect(getLogs(10_000_000)).toContain("kept-marker");
    forgetStatementLogs();
    expect(getLogs(10_000_000)).not.toContain("kept-marker");
  });

  it("hold nothing of large statements run through a StatementCounter", async () => {
    const q = new StatementCounter(database.db);
    await q.query(countRows(parameter("warm", 1000)));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10; i++) {
      const [row] = await q.query<{ n: number }>(countRows(parameter(`large-${i}`, 1_000_000)));
      expect(row?.n).toBe(10_000);
    }
    expect(getLogs(10_000_000)).not.toContain("large-");
    gc();
    // Ten parameters of 1 MB each: both histories holding them would keep 20 MB or more.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(5 * 1024 * 1024);
  });
});
