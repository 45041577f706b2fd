import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

export interface ResolvedDatabase {
  url: string;
  /** Set when this call started the embedded server: stop it on shutdown. */
  embedded?: EmbeddedPostgres;
}

/** `DATABASE_URL` when set, else an embedded PGlite under `RAMPART_DATA_DIR` (default `./data`). */
export async function resolveDatabaseUrl(): Promise<ResolvedDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return { url };
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, embedded };
}
