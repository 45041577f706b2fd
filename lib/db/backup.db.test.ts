import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTarget } from "@/lib/services/targets";
import { backupEmbedded, restoreEmbedded } from "./backup";
import { createDb } from "./client";
import { DatabaseInUseError } from "./data-dir";
import { startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "rampart-backup-"));
  folders.push(folder);
  return folder;
}

async function withDatabase<T>(dataDir: string, fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const server = await startEmbeddedPostgres({ dataDir });
  const db = createDb(server.url);
  try {
    await migrate(server.url);
    return await fn(db);
  } finally {
    await db.$disconnect();
    await server.stop();
  }
}

const targetNames = (db: ReturnType<typeof createDb>) =>
  db.target.findMany({ orderBy: { name: "asc" }, select: { name: true } }).then((rows) => rows.map((r) => r.name));

describe("rampart backup / restore of the embedded database", () => {
  it("round trip: rows written, backed up, restored into a fresh folder, read back", async () => {
    const source = await tempDir();
    const names = Array.from({ length: 25 }, (_, i) => `cluster-${String(i).padStart(2, "0")}`);
    await withDatabase(source, async (db) => {
      for (const name of names) await createTarget(db, { name, platform: "kubernetes", url: `https://${name}:6443` });
    });
    const file = path.join(await tempDir(), "rampart.tar.gz");
    const { bytes } = await backupEmbedded(source, file);
    expect(bytes).toBeGreaterThan(1000);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(backupEmbedded(source, file)).rejects.toThrow(/EEXIST/);

    const restored = await tempDir();
    expect(await restoreEmbedded(restored, file)).toEqual({ replaced: null });
    expect(await withDatabase(restored, targetNames)).toEqual(names);
  });

  it("refuses while a server holds the database; keeps a database it replaces", async () => {
    const dataDir = await tempDir();
    await withDatabase(dataDir, (db) => createTarget(db, { name: "old", platform: "docker", url: "tcp://o:2376" }));
    const file = path.join(await tempDir(), "old.tar.gz");
    await backupEmbedded(dataDir, file);
    await withDatabase(dataDir, (db) => createTarget(db, { name: "newer", platform: "docker", url: "tcp://n:2376" }));

    const server = await startEmbeddedPostgres({ dataDir });
    try {
      await expect(restoreEmbedded(dataDir, file)).rejects.toThrow(DatabaseInUseError);
      await expect(backupEmbedded(dataDir, path.join(dataDir, "x.tar.gz"))).rejects.toThrow(DatabaseInUseError);
    } finally {
      await server.stop();
    }

    const { replaced } = await restoreEmbedded(dataDir, file);
    expect(replaced).toMatch(/pglite\.replaced-/);
    expect(existsSync(path.join(replaced ?? "", "PG_VERSION"))).toBe(true);
    expect(await withDatabase(dataDir, targetNames)).toEqual(["old"]);
  });

  it("a file that is not a backup leaves the database in place", async () => {
    const dataDir = await tempDir();
    await withDatabase(dataDir, (db) => createTarget(db, { name: "kept", platform: "docker", url: "tcp://k:2376" }));
    const file = path.join(await tempDir(), "junk.tar.gz");
    await writeFile(file, "not a tarball");
    await expect(restoreEmbedded(dataDir, file)).rejects.toThrow(/is not a backup of the embedded database/);
    expect(await withDatabase(dataDir, targetNames)).toEqual(["kept"]);
    expect((await readdir(dataDir)).filter((name) => name.startsWith("pglite.replaced-"))).toEqual([]);
  });
});
