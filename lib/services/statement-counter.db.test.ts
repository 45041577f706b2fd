import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { inTransaction, StatementCounter } from "./statement-counter";

const database = setupTestDatabase();

describe("inTransaction", () => {
  it("bounds a transaction on the pg pool by its timeout, and only that transaction", async () => {
    const inside = await inTransaction(database.db, { maxWait: 1_000, timeout: 4_000 }, (q) =>
      q.query<{ statement: string; idle: string }>(
        Prisma.sql`SELECT current_setting('statement_timeout') AS statement,
          current_setting('idle_in_transaction_session_timeout') AS idle`,
      ),
    );
    expect(inside).toEqual([{ statement: "4s", idle: "4s" }]);
    const after = await StatementCounter.for(database.db).query<{ statement: string }>(
      Prisma.sql`SELECT current_setting('statement_timeout') AS statement`,
    );
    expect(after).toEqual([{ statement: "0" }]);
  });

  it("rolls back everything when the work fails", async () => {
    await expect(
      inTransaction(database.db, { maxWait: 1_000, timeout: 4_000 }, async (q) => {
        await q.execute(Prisma.sql`CREATE TABLE "rolled_back_probe" ("id" int)`);
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");
    const tables = await database.db.$queryRaw<{ n: number }[]>(
      Prisma.sql`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'rolled_back_probe'`,
    );
    expect(tables).toEqual([{ n: 0 }]);
  });
});
