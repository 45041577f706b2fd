import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded";
import { MIGRATIONS_DIR, migrate } from "./migrate";

/** A throw-away, migrated database for a test file or a benchmark, and how to remove it. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** Migrates `url` with the migrations named before `before` only: a database as an older release left it. */
async function migrateBefore(url: string, before: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-migrations-"));
  try {
    for (const name of await readdir(MIGRATIONS_DIR)) {
      if (name < before) await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    }
    await migrate(url, { dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A new database named `<prefix>_<random>` on the Postgres server at `serverUrl` when one is given (the
 * benchmarks and the server test pass use `DATABASE_URL`), else an embedded one in a temporary folder.
 */
export async function createScratchDatabase(
  prefix: string,
  serverUrl?: string,
  options: { migrationsBefore?: string } = {},
): Promise<ScratchDatabase> {
  let scratch: ScratchDatabase;
  if (serverUrl) {
    const name = `${prefix}_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    scratch = {
      url: url.toString(),
      drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  } else {
    const dataDir = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
    const server = await startEmbeddedPostgres({ dataDir });
    scratch = {
      url: server.url,
      async drop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (options.migrationsBefore) await migrateBefore(scratch.url, options.migrationsBefore);
  else await migrate(scratch.url);
  return scratch;
}
