import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { poolSettings } from "./client";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

// The key `prisma migrate deploy` itself locks, so this runner and Prisma's exclude each other too.
const ADVISORY_LOCK_KEY = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Migration folders in name order, as Prisma lays them out. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

function verifyApplied(applied: AppliedRow[], files: MigrationFile[]): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    if (row.finished_at === null) {
      throw new Error(`Migration ${row.migration_name} started but did not finish: resolve it before migrating`);
    }
    const file = byName.get(row.migration_name);
    if (file && file.checksum !== row.checksum) {
      throw new Error(`Migration ${row.migration_name} was modified after it was applied: refusing to migrate`);
    }
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<boolean> {
  await client.query("BEGIN");
  try {
    // Checked again inside the transaction: PGlite serialises transactions but shares one advisory-lock session.
    const done = await client.query(
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [file.name],
    );
    if (done.rowCount) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** The oldest server the migrations run on: `MERGE` (the vulnerability read model) came in PostgreSQL 15. */
export const MIN_SERVER_VERSION = 150000;

/** Refuses a server older than MIN_SERVER_VERSION with a sentence naming its version, before any migration runs. */
export function checkServerVersion(versionNum: number, version: string): void {
  if (!(versionNum >= MIN_SERVER_VERSION)) {
    throw new Error(`Rampart needs PostgreSQL 15 or later; the database server runs PostgreSQL ${version}`);
  }
}

/** Applies pending migrations in order, each in a transaction, recorded like `prisma migrate deploy`. */
export async function migrate(url: string, options: { dir?: string } = {}): Promise<{ applied: string[] }> {
  const files = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: poolSettings(url).connectionString });
  await client.connect();
  try {
    const server = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    checkServerVersion(Number(server.rows[0]?.num), String(server.rows[0]?.version));
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    verifyApplied(rows, files);
    const done = new Set(rows.map((r) => r.migration_name));
    const applied: string[] = [];
    for (const file of files.filter((f) => !done.has(f.name))) {
      if (await applyOne(client, file)) applied.push(file.name);
    }
    return { applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
