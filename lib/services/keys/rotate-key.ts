import { decryptCredentialsWith, encryptCredentialsWith } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";

export interface ReencryptInput {
  oldKey: Buffer;
  newKey: Buffer;
  /** Where the key lives, for the audit row: "key file" or "environment". */
  keySource: string;
}

/**
 * Moves every stored credential from `oldKey` to `newKey` and writes the audit row, in one transaction: all rows
 * or none. Throws before writing anything when one row does not decrypt with the old key.
 */
export async function reencryptCredentials(db: Db, input: ReencryptInput): Promise<number> {
  const targets = await db.target.findMany({
    where: { credentials: { not: null } },
    select: { id: true, credentials: true },
  });
  const channels = await db.notificationChannel.findMany({ select: { id: true, credentials: true } });
  const registries = await db.registryCredential.findMany({
    where: { credentials: { not: null } },
    select: { id: true, credentials: true },
  });
  const reencrypt = (text: string | null) =>
    encryptCredentialsWith(input.newKey, decryptCredentialsWith(input.oldKey, text ?? ""));
  const updates = targets.map((target) => ({ id: target.id, credentials: reencrypt(target.credentials) }));
  const channelUpdates = channels.map((channel) => ({ id: channel.id, credentials: reencrypt(channel.credentials) }));
  const registryUpdates = registries.map((row) => ({ id: row.id, credentials: reencrypt(row.credentials) }));
  const rotated = updates.length + channelUpdates.length + registryUpdates.length;
  await db.$transaction([
    ...updates.map((u) => db.target.update({ where: { id: u.id }, data: { credentials: u.credentials } })),
    ...channelUpdates.map((u) =>
      db.notificationChannel.update({ where: { id: u.id }, data: { credentials: u.credentials } }),
    ),
    ...registryUpdates.map((u) =>
      db.registryCredential.update({ where: { id: u.id }, data: { credentials: u.credentials } }),
    ),
    db.auditLog.create({
      data: {
        actor: "system",
        action: "key.rotated",
        detail: { rotated, keySource: input.keySource },
      },
    }),
  ]);
  return rotated;
}

export interface CredentialCheck {
  total: number;
  /** Rows whose credentials do not decrypt with the key. */
  unreadable: number;
}

/** How many stored credentials `key` opens; rotate-key reads them back through a new connection with it. */
export async function checkCredentials(db: Db, key: Buffer): Promise<CredentialCheck> {
  const targets = await db.target.findMany({ where: { credentials: { not: null } }, select: { credentials: true } });
  const channels = await db.notificationChannel.findMany({ select: { credentials: true } });
  const registries = await db.registryCredential.findMany({
    where: { credentials: { not: null } },
    select: { credentials: true },
  });
  const stored = [...targets, ...channels, ...registries];
  let unreadable = 0;
  for (const row of stored) {
    try {
      decryptCredentialsWith(key, row.credentials ?? "");
    } catch {
      unreadable++;
    }
  }
  return { total: stored.length, unreadable };
}
