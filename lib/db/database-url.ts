import { access } from "node:fs/promises";
import path from "node:path";
import { EMBEDDED_PARAM } from "./client";
import { DatabaseInUseError, defaultDataDir } from "./data-dir";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

export interface ResolvedDatabase {
  url: string;
  /** Set when this call started the embedded server: stop it on shutdown. */
  embedded?: EmbeddedPostgres;
}

/**
 * `DATABASE_URL` when set, else an embedded PGlite under `RAMPART_DATA_DIR` (default `./data`). With
 * `joinRunning`, a database already held by `rampart serve` is reached through the unix socket that server
 * listens on (`<data>/run`), as its dashboard does, instead of refusing.
 */
export async function resolveDatabaseUrl(options: { joinRunning?: boolean } = {}): Promise<ResolvedDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return { url };
  try {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, embedded };
  } catch (error) {
    if (!options.joinRunning || !(error instanceof DatabaseInUseError)) throw error;
    const folder = path.join(defaultDataDir(), "run");
    await access(path.join(folder, ".s.PGSQL.5432")).catch(() => {
      throw error;
    });
    return { url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(folder)}&${EMBEDDED_PARAM}=1` };
  }
}
