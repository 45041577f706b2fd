import { chmod, mkdir, mkdtemp, rm, unlink } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { EMBEDDED_PARAM } from "./client";
import { defaultDataDir, lockDataDir, secureDataDir } from "./data-dir";
import { SessionQueue } from "./session-queue";

export { defaultDataDir } from "./data-dir";

export interface EmbeddedPostgres {
  /** postgresql:// URL naming the unix socket's folder, marked so `createDb` uses one connection. */
  url: string;
  /** The unix socket the server listens on (mode 0600, in a 0700 folder). */
  socketPath: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  /** Called with a warning line, e.g. when the data folder was readable by other users. */
  warn?: (message: string) => void;
}

// Separate clients (migration runner, app pool, web child, tests) each hold one connection.
const MAX_CONNECTIONS = 16;
// node-postgres finds a server's socket as `<host>/.s.PGSQL.<port>`; 5432 is its default port.
const SOCKET_NAME = ".s.PGSQL.5432";
// sun_path holds 108 bytes with the terminating NUL.
const MAX_SOCKET_PATH = 107;

/** `<dataDir>/run`, or a private folder under the system's temp folder when that path is too long for a socket. */
async function socketFolder(dataDir: string): Promise<{ folder: string; cleanup: () => Promise<void> }> {
  const folder = path.join(dataDir, "run");
  if (Buffer.byteLength(path.join(folder, SOCKET_NAME)) <= MAX_SOCKET_PATH) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
    await unlink(path.join(folder, SOCKET_NAME)).catch(() => undefined);
    return { folder, cleanup: async () => unlink(path.join(folder, SOCKET_NAME)).catch(() => undefined) };
  }
  const short = await mkdtemp(path.join(tmpdir(), "rampart-db-"));
  if (Buffer.byteLength(path.join(short, SOCKET_NAME)) > MAX_SOCKET_PATH)
    throw new Error(`no unix socket path under ${MAX_SOCKET_PATH} bytes: set RAMPART_DATA_DIR or TMPDIR shorter`);
  return { folder: short, cleanup: () => rm(short, { recursive: true, force: true }) };
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** pglite-socket's connection handlers on a unix socket, fed through `SessionQueue` (see there why). */
async function serveOnSocket(db: PGlite, socketPath: string): Promise<() => Promise<void>> {
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket) => {
    if (handlers.size >= MAX_CONNECTIONS) return void socket.end("Too many connections\n");
    const handler = new PGLiteSocketHandler({
      // Same public members as pglite-socket's own (unexported) queue class.
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions["queryQueue"],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket).catch(() => (forget(), socket.destroy()));
  });
  server.maxConnections = MAX_CONNECTIONS;
  await listen(server, socketPath);
  await chmod(socketPath, 0o600);
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...handlers].map((handler) => handler.detach(true)));
    await closed;
  };
}

/**
 * Starts PGlite with its files under `<dataDir>/pglite`, served on a unix socket in `<dataDir>/run` only: no TCP
 * listener, and the folder (0700) and socket (0600) admit this user alone. Holds the folder's lock until stop.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const widened = await secureDataDir(dataDir);
  if (widened.length > 0)
    (options.warn ?? console.warn)(
      `rampart: ${widened.length} file(s) in ${dataDir} were open to other users; now 0700/0600`,
    );
  const unlock = await lockDataDir(dataDir);
  const cleanups: (() => Promise<void>)[] = [unlock];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await mkdir(path.join(dataDir, "pglite"), { recursive: true, mode: 0o700 });
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    cleanups.push(() => db.close());
    // A new database is unpacked from PGlite's bundled tarball with its 0666 modes, past the umask.
    await secureDataDir(dataDir);
    const socket = await socketFolder(dataDir);
    cleanups.push(socket.cleanup);
    const socketPath = path.join(socket.folder, SOCKET_NAME);
    cleanups.push(await serveOnSocket(db, socketPath));
    const url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socket.folder)}&${EMBEDDED_PARAM}=1`;
    return { url, socketPath, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
