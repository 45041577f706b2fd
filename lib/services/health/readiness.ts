import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db";

export interface Readiness {
  ready: boolean;
  /** Short fixed words, never a database error's text (that goes to the log with the request id). */
  checks: { database: "ok" | "unreachable"; migrations: "ok" | "pending" | "unknown" };
  /** Migrations in the image that the database lacks, by name. */
  pending: string[];
  /** The error behind "unreachable", for the server log only. */
  error?: string;
}

/**
 * The migration folders of the running code: next start and the CLI both run in the project root. (Not through
 * lib/db/migrate.ts: its path relative to the module cannot be resolved in Next's server bundle.)
 */
const MIGRATIONS = path.join(process.cwd(), "prisma", "migrations");

/** Ready when the database answers within `timeoutMs` and every migration this code ships has been applied. */
export async function checkReadiness(db: Db, timeoutMs = 2_000, dir = MIGRATIONS): Promise<Readiness> {
  let applied: { migration_name: string }[];
  try {
    applied = await Promise.race([
      appliedMigrations(db),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  } catch (error) {
    return {
      ready: false,
      checks: { database: "unreachable", migrations: "unknown" },
      pending: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const done = new Set(applied.map((row) => row.migration_name));
  // Not traced by Turbopack: the folder is read at run time, from the project root.
  const folders = (await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true })).filter((entry) =>
    entry.isDirectory(),
  );
  const pending = folders
    .map((entry) => entry.name)
    .sort()
    .filter((name) => !done.has(name));
  return {
    ready: pending.length === 0,
    checks: { database: "ok", migrations: pending.length === 0 ? "ok" : "pending" },
    pending,
  };
}

/** Names of the applied migrations; none on a database never migrated. */
async function appliedMigrations(db: Db): Promise<{ migration_name: string }[]> {
  const [table] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
  if (!table?.present) return [];
  return db.$queryRaw<{ migration_name: string }[]>`
    SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
}
