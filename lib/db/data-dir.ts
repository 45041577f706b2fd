import { chmod, lstat, mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const LOCK_FILE = "pglite.lock";

export function defaultDataDir(): string {
  return path.resolve(process.env.RAMPART_DATA_DIR || "./data");
}

/**
 * Makes the data folder private: this process creates files without group/other bits from now on (PGlite asks
 * for 0666), and existing entries are narrowed to 0700/0600. Returns the entries that were wider.
 */
export async function secureDataDir(dataDir: string): Promise<string[]> {
  process.umask(process.umask() | 0o077);
  await mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  const widened: string[] = [];
  const visit = async (entry: string): Promise<void> => {
    const info = await lstat(entry);
    if (info.isSymbolicLink()) return;
    const wanted = info.isDirectory() ? DIR_MODE : FILE_MODE;
    if ((info.mode & 0o077) !== 0) {
      widened.push(entry);
      await chmod(entry, (info.mode & 0o700) | (info.isDirectory() ? DIR_MODE : 0));
    } else if (info.isDirectory() && (info.mode & 0o700) !== wanted) {
      await chmod(entry, DIR_MODE);
    }
    if (!info.isDirectory()) return;
    for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(dataDir);
  return widened;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid} (rampart serve, migrate or another command): ` +
        `stop it first`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process holding the embedded database of `dataDir`, or null when none runs. */
export async function lockHolder(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, LOCK_FILE), "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/**
 * PGlite has no lock of its own, and two processes opening one folder lose each other's writes; this pid file
 * makes the second one fail. A file left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: "wx", mode: FILE_MODE });
      return async () => {
        const text = await readFile(file, "utf8").catch(() => "");
        if (Number.parseInt(text, 10) === process.pid) await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await lockHolder(dataDir);
    if (holder !== null) throw new DatabaseInUseError(dataDir, holder);
    await unlink(file).catch(() => undefined);
  }
  throw new Error(`cannot take the lock ${file}: another process is starting on the same data folder`);
}
