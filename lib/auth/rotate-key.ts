import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import {
  decryptCredentialsWith,
  encryptCredentialsWith,
  forgetKey,
  keyFilePath,
  loadKey,
  parseKey,
} from "./credentials";

/**
 * Re-encrypts every stored credential from `oldKey` to `newKey` in one transaction: either all rows move to
 * the new key or none does. Throws before writing anything when one row does not decrypt with the old key.
 */
export async function reencryptCredentials(db: Db, oldKey: Buffer, newKey: Buffer): Promise<number> {
  const targets = await db.target.findMany({
    where: { credentials: { not: null } },
    select: { id: true, credentials: true },
  });
  const updates = targets.map((target) => ({
    id: target.id,
    credentials: encryptCredentialsWith(newKey, decryptCredentialsWith(oldKey, target.credentials ?? "")),
  }));
  await db.$transaction(
    updates.map((u) => db.target.update({ where: { id: u.id }, data: { credentials: u.credentials } })),
  );
  return updates.length;
}

export type RotateResult = { rotated: number; keyFile: string } | { rotated: number; keyFile: null };

/**
 * With a key file: writes the new key beside it, re-encrypts, then renames it over the old one, so a crash
 * leaves either the old key working or the new key in `secret.key.new`. With RAMPART_SECRET_KEY: the new key
 * comes from RAMPART_NEW_SECRET_KEY, and the operator swaps the variables afterwards. Other running Rampart
 * processes keep the old key in memory: restart them.
 */
export async function rotateKey(db: Db, env: Record<string, string | undefined> = process.env): Promise<RotateResult> {
  const oldKey = loadKey();
  if (env.RAMPART_SECRET_KEY) {
    const newKey = env.RAMPART_NEW_SECRET_KEY ? parseKey(env.RAMPART_NEW_SECRET_KEY) : undefined;
    if (!newKey)
      throw new Error("RAMPART_SECRET_KEY is set: put the new key (32 bytes, base64 or hex) in RAMPART_NEW_SECRET_KEY");
    const rotated = await reencryptCredentials(db, oldKey, newKey);
    await recordAudit(db, { actor: "system", action: "key.rotated", detail: { rotated, keySource: "environment" } });
    return { rotated, keyFile: null };
  }
  const file = keyFilePath();
  const newKey = randomBytes(32);
  writeFileSync(`${file}.new`, newKey.toString("base64") + "\n", { mode: 0o600 });
  const rotated = await reencryptCredentials(db, oldKey, newKey);
  renameSync(`${file}.new`, file);
  forgetKey();
  await recordAudit(db, { actor: "system", action: "key.rotated", detail: { rotated, keySource: "key file" } });
  return { rotated, keyFile: file };
}
