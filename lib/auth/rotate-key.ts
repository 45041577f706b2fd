import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { Db } from "@/lib/db";
import { checkCredentials, reencryptCredentials } from "@/lib/services/keys";
import { forgetKey, keyFilePath, loadKey, parseKey } from "./credentials";

export type RotateResult = { rotated: number; keyFile: string } | { rotated: number; keyFile: null };

export interface RotateKeyOptions {
  db: Db;
  /**
   * A client on a new connection (for the embedded database: after closing and opening it again), through which
   * the re-encrypted rows are read back before the new key replaces the old one.
   */
  reopen: () => Promise<Db>;
  env?: Record<string, string | undefined>;
}

/** Reads every credential back through a new connection; fails unless the new key opens them all. */
async function verifyReadBack(reopen: () => Promise<Db>, newKey: Buffer, rotated: number): Promise<void> {
  const check = await checkCredentials(await reopen(), newKey);
  if (check.unreadable > 0 || check.total !== rotated) {
    throw new Error(
      `after re-encryption, ${check.unreadable} of ${check.total} credential(s) read back through a new connection ` +
        `do not open with the new key (${rotated} were written)`,
    );
  }
}

/**
 * A rotation that stopped after its transaction committed left the new key in `secret.key.new`: when that key
 * opens every stored credential and the current one does not, finish the swap; otherwise drop the stray file.
 */
async function finishInterruptedRotation(db: Db, file: string): Promise<void> {
  const pending = `${file}.new`;
  if (!existsSync(pending)) return;
  const newKey = parseKey(readFileSync(pending, "utf8"));
  const withNew = newKey ? await checkCredentials(db, newKey) : undefined;
  const withOld = await checkCredentials(db, loadKey());
  if (withNew && withNew.total > 0 && withNew.unreadable === 0 && withOld.unreadable > 0) {
    renameSync(pending, file);
    forgetKey();
    return;
  }
  rmSync(pending, { force: true });
}

/**
 * With a key file: the new key is written to `secret.key.new` first (so a crash after the commit keeps it), the
 * rows are re-encrypted in one transaction, read back through a new connection, and only then does the new key
 * replace `secret.key`; until that moment the old key stays in place and working. With RAMPART_SECRET_KEY, the
 * new key comes from RAMPART_NEW_SECRET_KEY and the operator swaps the variables afterwards. Other processes keep
 * the old key in memory, so the command refuses to run beside a server on the embedded database (its lock).
 */
export async function rotateKey({ db, reopen, env = process.env }: RotateKeyOptions): Promise<RotateResult> {
  if (env.RAMPART_SECRET_KEY) {
    const oldKey = loadKey();
    const newKey = env.RAMPART_NEW_SECRET_KEY ? parseKey(env.RAMPART_NEW_SECRET_KEY) : undefined;
    if (!newKey)
      throw new Error("RAMPART_SECRET_KEY is set: put the new key (32 bytes, base64 or hex) in RAMPART_NEW_SECRET_KEY");
    const rotated = await reencryptCredentials(db, { oldKey, newKey, keySource: "environment" });
    await verifyReadBack(reopen, newKey, rotated);
    return { rotated, keyFile: null };
  }
  const file = keyFilePath();
  await finishInterruptedRotation(db, file);
  const oldKey = loadKey();
  const newKey = randomBytes(32);
  const pending = `${file}.new`;
  writeFileSync(pending, newKey.toString("base64") + "\n", { mode: 0o600 });
  let rotated: number;
  try {
    rotated = await reencryptCredentials(db, { oldKey, newKey, keySource: "key file" });
  } catch (error) {
    rmSync(pending, { force: true });
    throw error;
  }
  try {
    await verifyReadBack(reopen, newKey, rotated);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; the old key stays in ${file}, the new one in ${pending}: ` +
        `run rampart rotate-key again to finish`,
    );
  }
  renameSync(pending, file);
  forgetKey();
  return { rotated, keyFile: file };
}
