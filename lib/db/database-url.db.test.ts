import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { poolSettings } from "./client";
import { DatabaseInUseError } from "./data-dir";
import { resolveDatabaseUrl } from "./database-url";
import { startEmbeddedPostgres } from "./embedded";

// `rampart demo` beside a running `rampart serve`: the embedded database is held, so it is joined through the
// socket the holder listens on, while every other command still refuses.

const saved = { dataDir: process.env.RAMPART_DATA_DIR, url: process.env.DATABASE_URL };
let folder = "";
afterEach(() => {
  process.env.RAMPART_DATA_DIR = saved.dataDir;
  if (saved.dataDir === undefined) delete process.env.RAMPART_DATA_DIR;
});
afterAll(async () => {
  if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("resolveDatabaseUrl beside a running server", () => {
  it("joins the held embedded database through its socket only when asked, and refuses otherwise", async () => {
    delete process.env.DATABASE_URL;
    folder = await mkdtemp(path.join(tmpdir(), "rampart-join-"));
    process.env.RAMPART_DATA_DIR = folder;
    const server = await startEmbeddedPostgres({ dataDir: folder });
    try {
      const client = new pg.Client(poolSettings(server.url));
      await client.connect();
      await client.query(`CREATE TABLE joined (marker text); INSERT INTO joined VALUES ('from the server')`);
      await client.end();
      await expect(resolveDatabaseUrl()).rejects.toBeInstanceOf(DatabaseInUseError);
      const joined = await resolveDatabaseUrl({ joinRunning: true });
      expect(joined.embedded).toBeUndefined();
      expect(joined.url).toContain(encodeURIComponent(path.join(folder, "run")));
      const other = new pg.Client(poolSettings(joined.url));
      await other.connect();
      expect((await other.query("SELECT marker FROM joined")).rows).toEqual([{ marker: "from the server" }]);
      await other.end();
    } finally {
      await server.stop();
    }
    await expect(resolveDatabaseUrl({ joinRunning: true }).then((db) => db.embedded?.stop())).resolves.toBeUndefined();
  });
});
