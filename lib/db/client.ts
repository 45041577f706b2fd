import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

/** Query parameter marking a URL served by the embedded PGlite socket server. */
export const EMBEDDED_PARAM = "rampart_embedded";

export type Db = PrismaClient;

interface PoolSettings {
  connectionString: string;
  max?: number;
}

/**
 * PGlite is one Postgres session: the embedded server runs one connection's statements at a time
 * (lib/db/session-queue.ts), so a pool of more than one connection per client would only queue.
 */
export function poolSettings(url: string): PoolSettings {
  const parsed = new URL(url);
  if (parsed.searchParams.get(EMBEDDED_PARAM) !== "1") return { connectionString: url };
  parsed.searchParams.delete(EMBEDDED_PARAM);
  return { connectionString: parsed.toString(), max: 1 };
}

export function isEmbeddedUrl(url: string): boolean {
  return new URL(url).searchParams.get(EMBEDDED_PARAM) === "1";
}

/**
 * `logQueries` emits a "query" event per statement (the page benchmark's EXPLAIN records them); `poolMax` caps the
 * pool's connections (tests of a busy pool).
 */
export function createDb(url: string, options: { logQueries?: boolean; poolMax?: number } = {}): PrismaClient {
  const settings = poolSettings(url);
  const pool = new pg.Pool(
    options.poolMax ? { ...settings, max: Math.min(options.poolMax, settings.max ?? Infinity) } : settings,
  );
  // An idle connection the server closed (a dropped test database) must not crash the process.
  pool.on("error", () => undefined);
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    ...(options.logQueries ? { log: [{ emit: "event" as const, level: "query" as const }] } : {}),
  });
  // Query logging follows Prisma's statements: a client that logs them gets no side door.
  if (!options.logQueries) pools.set(db, pool);
  return db;
}

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * The pg pool under a client made by createDb, while it is open: bulk writes (a poll's batches) go to it directly,
 * past Prisma's query compiler and parameter serialisation, which cost more CPU than the statements' own work.
 */
export function poolOf(db: PrismaClient): pg.Pool | undefined {
  const pool = pools.get(db);
  return pool && !pool.ending && !pool.ended ? pool : undefined;
}

// On globalThis so Next's dev reloads of this module reuse the pool instead of opening another.
const holder = globalThis as typeof globalThis & { rampartDb?: PrismaClient };

/** The process-wide client for `DATABASE_URL`. */
export function getDb(): PrismaClient {
  if (holder.rampartDb) return holder.rampartDb;
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set: set it to a postgresql:// URL, or start the embedded database (resolveDatabaseUrl) first",
    );
  }
  holder.rampartDb = createDb(url);
  return holder.rampartDb;
}

/** Makes `db` what getDb() returns in this process (a test file's scratch database, a benchmark's); undefined forgets it. */
export function setProcessDb(db: PrismaClient | undefined): void {
  if (db) holder.rampartDb = db;
  else delete holder.rampartDb;
}
