import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { EMBEDDED_PARAM } from "./client";

export interface EmbeddedPostgres {
  /** postgresql:// URL of the loopback server, marked so `createDb` uses one connection. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  /** 0 or unset picks a free port. */
  port?: number;
}

// Separate clients (migration runner, app pool, tests) each hold one connection.
const MAX_CONNECTIONS = 16;

export function defaultDataDir(): string {
  return path.resolve(process.env.RAMPART_DATA_DIR || "./data");
}

/** Starts PGlite with its files under `<dataDir>/pglite`, served on 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const pgDir = path.join(dataDir, "pglite");
  await mkdir(pgDir, { recursive: true });
  const db = await PGlite.create(pgDir);
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?${EMBEDDED_PARAM}=1`;
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
