import { afterAll, beforeAll } from "vitest";
import pg from "pg";
import { createDb, poolSettings, setProcessDb, type Db } from "./client";
import { createScratchDatabase, type ScratchDatabase } from "./scratch";
import { resultSetId } from "@/lib/services/runs/container-rows";

export interface TestDatabase {
  readonly url: string;
  readonly db: Db;
  /** Runs one statement on its own connection, outside Prisma (for a schema the client does not fit). */
  sql<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
}

/**
 * Registers vitest hooks giving the file a fresh, migrated database (a new one on `DATABASE_URL`'s server, else
 * embedded). With `migrationsBefore`, only the migrations named before it are applied (a migration's own test fills
 * the older schema, then calls `migrate`); `db` then fits the migrated schema only. With `processDb`, `db` is also what
 * getDb() returns during the file's tests (read models and routes that take no client).
 */
export function setupTestDatabase(options: { migrationsBefore?: string; processDb?: boolean } = {}): TestDatabase {
  let started: ScratchDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    started = await createScratchDatabase("rampart_test", process.env.DATABASE_URL, options);
    db = createDb(started.url);
    if (options.processDb) setProcessDb(db);
  });
  afterAll(async () => {
    if (options.processDb) setProcessDb(undefined);
    await db?.$disconnect();
    await started?.drop();
  });
  const database: TestDatabase = {
    get url() {
      if (!started) throw new Error("setupTestDatabase: the database is not ready before beforeAll has run");
      return started.url;
    },
    get db() {
      if (!db) throw new Error("setupTestDatabase: the database is not ready before beforeAll has run");
      return db;
    },
    async sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: poolSettings(database.url).connectionString });
      await client.connect();
      try {
        return (await client.query<T>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
  };
  return database;
}

/** Every row of every table as JSON text: a value planted in input must be found nowhere in it. */
export async function dumpAllTables(db: Db): Promise<string> {
  const tables = await db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const dumps = await Promise.all(
    tables.map(async ({ table_name }) =>
      JSON.stringify(await db.$queryRawUnsafe(`SELECT * FROM "${table_name}"`), (_, v: unknown) =>
        typeof v === "bigint" ? v.toString() : v,
      ),
    ),
  );
  return dumps.join("\n");
}

/** Stores a combination of passes and checks not judged (ResultSet) once; its id is what a Container points at. */
export async function storeResultSet(
  db: Db,
  passed: string[],
  notJudged: { id: string; status: "not-evaluated" | "not-applicable"; message: string }[],
): Promise<string> {
  const id = resultSetId(passed, notJudged);
  await db.resultSet.upsert({ where: { id }, create: { id, passed, notJudged }, update: {} });
  return id;
}
