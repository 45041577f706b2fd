import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";

export interface TestDatabase {
  readonly url: string;
  readonly db: Db;
}

interface Started {
  url: string;
  cleanup(): Promise<void>;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startOnServer(serverUrl: string): Promise<Started> {
  const name = `rampart_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function startEmbedded(): Promise<Started> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "rampart-db-test-"));
  const server = await startEmbeddedPostgres({ dataDir });
  return {
    url: server.url,
    async cleanup() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers vitest hooks giving the file a fresh, migrated database (a new one on `DATABASE_URL`'s server, else embedded). */
export function setupTestDatabase(): TestDatabase {
  let started: Started | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    const serverUrl = process.env.DATABASE_URL;
    started = serverUrl ? await startOnServer(serverUrl) : await startEmbedded();
    await migrate(started.url);
    db = createDb(started.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await started?.cleanup();
  });
  return {
    get url() {
      if (!started) throw new Error("setupTestDatabase: the database is not ready before beforeAll has run");
      return started.url;
    },
    get db() {
      if (!db) throw new Error("setupTestDatabase: the database is not ready before beforeAll has run");
      return db;
    },
  };
}
