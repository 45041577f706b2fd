import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { poolSettings } from "./client";
import { DatabaseInUseError } from "./data-dir";
import { startEmbeddedPostgres } from "./embedded";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "rampart-embedded-"));
  folders.push(folder);
  return folder;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client(poolSettings(url));
  await client.connect();
  return client;
}

/** Inodes of the TCP sockets this process listens on, from /proc (Linux). */
async function listeningTcpInodesOfThisProcess(): Promise<string[]> {
  const listening = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && fields[9]) listening.add(fields[9]);
    }
  }
  const mine: string[] = [];
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "");
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) mine.push(inode);
  }
  return mine;
}

async function modesUnder(folder: string): Promise<Map<string, number>> {
  const modes = new Map<string, number>();
  const visit = async (entry: string) => {
    const info = await lstat(entry);
    modes.set(path.relative(folder, entry) || ".", info.mode & 0o777);
    if (info.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(folder);
  return modes;
}

describe("embedded Postgres", () => {
  it("listens on no TCP port: only on a 0600 unix socket in a 0700 folder of the data folder", async () => {
    const dataDir = await tempDir();
    const before = await listeningTcpInodesOfThisProcess();
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await listeningTcpInodesOfThisProcess()).toEqual(before);
      expect(server.socketPath).toBe(path.join(dataDir, "run", ".s.PGSQL.5432"));
      expect((await lstat(server.socketPath)).isSocket()).toBe(true);
      expect((await lstat(server.socketPath)).mode & 0o777).toBe(0o600);
      expect((await lstat(path.dirname(server.socketPath))).mode & 0o777).toBe(0o700);
      expect((await lstat(dataDir)).mode & 0o777).toBe(0o700);
      expect(new URL(server.url).searchParams.get("host")).toBe(path.dirname(server.socketPath));
      const client = await connect(server.url);
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await server.stop();
    }
  });

  it("puts the socket in a private temp folder when the data folder's path is too long for a unix socket", async () => {
    const dataDir = path.join(await tempDir(), "a-data-folder-whose-path-is-long".repeat(3));
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(Buffer.byteLength(path.join(dataDir, "run", ".s.PGSQL.5432"))).toBeGreaterThan(107);
      expect(server.socketPath.startsWith(path.join(tmpdir(), "rampart-db-"))).toBe(true);
      expect((await lstat(path.dirname(server.socketPath))).mode & 0o777).toBe(0o700);
      expect((await lstat(server.socketPath)).mode & 0o777).toBe(0o600);
      const client = await connect(server.url);
      expect((await client.query("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
      await client.end();
    } finally {
      await server.stop();
    }
    expect(existsSync(path.dirname(server.socketPath))).toBe(false);
  });

  it("keeps every file 0600 and folder 0700 under umask 000, and narrows files left wider", async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, "pglite"));
    await chmod(path.join(dataDir, "pglite"), 0o777);
    await writeFile(path.join(dataDir, "left-open.txt"), "x");
    await chmod(path.join(dataDir, "left-open.txt"), 0o666);
    const umask = process.umask(0);
    const warnings: string[] = [];
    try {
      const server = await startEmbeddedPostgres({ dataDir, warn: (line) => warnings.push(line) });
      const client = await connect(server.url);
      await client.query("CREATE TABLE modes (x int)");
      await client.query("INSERT INTO modes SELECT generate_series(1, 1000)");
      await client.query("CHECKPOINT");
      await client.end();
      const running = await modesUnder(dataDir);
      await server.stop();
      const stopped = await modesUnder(dataDir);
      for (const modes of [running, stopped]) {
        expect(modes.size).toBeGreaterThan(100);
        const wrong = [...modes].filter(([, mode]) => mode !== 0o600 && mode !== 0o700);
        expect(wrong).toEqual([]);
      }
      expect(warnings.join("\n")).toMatch(/2 file\(s\) .* were open to other users/);
    } finally {
      process.umask(umask);
    }
  });

  it("a second client's SET search_path or SET ROLE does not reach the application's next query", async () => {
    const server = await startEmbeddedPostgres({ dataDir: await tempDir() });
    const app = await connect(server.url);
    const other = await connect(server.url);
    try {
      await app.query('CREATE TABLE "Target" (name text)');
      await app.query(`INSERT INTO "Target" VALUES ('k8s')`);
      await app.query("CREATE ROLE nobody_here NOLOGIN");
      await other.query("SET search_path = ''");
      await other.query("SET ROLE nobody_here");
      expect((await app.query('SELECT name FROM "Target" WHERE name = $1', ["k8s"])).rows).toEqual([{ name: "k8s" }]);
      expect((await app.query("SELECT current_user AS who")).rows).toEqual([{ who: "postgres" }]);
      // A connection's own settings hold for its own statements until another connection takes the session.
      await other.query("BEGIN");
      await other.query("SET LOCAL search_path = ''");
      const appQuery = app.query('SELECT count(*)::int AS n FROM "Target"');
      await expect(other.query('SELECT * FROM "Target"')).rejects.toThrow(/does not exist/);
      await other.query("ROLLBACK");
      expect((await appQuery).rows).toEqual([{ n: 1 }]);
    } finally {
      await app.end();
      await other.end();
      await server.stop();
    }
  });

  it("a client that disconnects inside a transaction is rolled back and frees the session", async () => {
    const server = await startEmbeddedPostgres({ dataDir: await tempDir() });
    const app = await connect(server.url);
    try {
      await app.query("CREATE TABLE kept (x int)");
      const leaver = await connect(server.url);
      await leaver.query("BEGIN");
      await leaver.query("INSERT INTO kept VALUES (1)");
      await leaver.end();
      expect((await app.query("SELECT count(*)::int AS n FROM kept")).rows).toEqual([{ n: 0 }]);
    } finally {
      await app.end();
      await server.stop();
    }
  });

  it("refuses a second server on the same data folder, and takes over a lock left by a dead process", async () => {
    const dataDir = await tempDir();
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(DatabaseInUseError);
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    } finally {
      await first.stop();
    }
    // A pid no process has: the lock file of a server killed with -9.
    await writeFile(path.join(dataDir, "pglite.lock"), "4194302\n");
    const second = await startEmbeddedPostgres({ dataDir });
    expect(await readFile(path.join(dataDir, "pglite.lock"), "utf8")).toBe(`${process.pid}\n`);
    await second.stop();
  });
});
