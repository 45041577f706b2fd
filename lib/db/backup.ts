import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir, secureDataDir } from "./data-dir";

export interface BackupResult {
  file: string;
  bytes: number;
}

export interface RestoreResult {
  /** Where the database that was there before now lives, when there was one. */
  replaced: string | null;
}

function pgliteDir(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

/** Runs `fn` holding the data folder's lock, so no server or other command has the database open meanwhile. */
async function withLockedDataDir<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  await secureDataDir(dataDir);
  const unlock = await lockDataDir(dataDir);
  try {
    return await fn();
  } finally {
    await unlock();
  }
}

/**
 * Writes PGlite's own copy of its data folder (a gzipped tarball, `dumpDataDir`) to `file`, mode 0600, never over
 * an existing file. The key file is not in it: credentials need `secret.key` (or RAMPART_SECRET_KEY) as well.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupResult> {
  return withLockedDataDir(dataDir, async () => {
    if (!existsSync(path.join(pgliteDir(dataDir), "PG_VERSION")))
      throw new Error(`there is no embedded database in ${dataDir}`);
    const db = await PGlite.create(pgliteDir(dataDir));
    try {
      const tarball = Buffer.from(await (await db.dumpDataDir("gzip")).arrayBuffer());
      await writeFile(file, tarball, { mode: 0o600, flag: "wx" });
      return { file, bytes: tarball.length };
    } finally {
      await db.close();
    }
  });
}

/**
 * Loads a backup into `<dataDir>/pglite`. A database already there is moved aside to `pglite.replaced-<time>`,
 * never deleted. Checks that the restored database opens and answers before returning.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<RestoreResult> {
  const tarball = await readFile(file);
  return withLockedDataDir(dataDir, async () => {
    const target = pgliteDir(dataDir);
    let replaced: string | null = null;
    if (existsSync(target) && (await readdir(target)).length > 0) {
      replaced = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      await rename(target, replaced);
    }
    await mkdir(target, { recursive: true, mode: 0o700 });
    try {
      const db = await PGlite.create(target, { loadDataDir: new Blob([tarball]) });
      try {
        await db.query("SELECT 1");
      } finally {
        await db.close();
      }
    } catch (error) {
      await rename(target, `${target}.failed-restore-${Date.now()}`);
      if (replaced) await rename(replaced, target);
      throw new Error(`${file} is not a backup of the embedded database: ${(error as Error).message}`);
    }
    await secureDataDir(dataDir);
    return { replaced };
  });
}
