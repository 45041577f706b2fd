import type { Db } from "@/lib/db";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";

export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The first-run link `rampart serve` prints: `/setup?token=…`, or null once any user exists. Each call replaces
 * the previous link, so only the newest printed one works.
 */
export async function createSetupLink(db: Db, baseUrl = "", now = new Date()): Promise<string | null> {
  if ((await db.user.count()) > 0) return null;
  const token = newSecretToken("setup");
  await db.$transaction([
    db.setupToken.deleteMany({ where: { usedAt: null } }),
    db.setupToken.create({
      data: { tokenHash: hashSecretToken(token), expiresAt: new Date(now.getTime() + SETUP_LINK_TTL_MS) },
    }),
  ]);
  return `${baseUrl.replace(/\/$/, "")}/setup?token=${token}`;
}

/** True while the link is unused, unexpired and no user exists yet. */
export async function isSetupTokenValid(db: Db, token: string, now = new Date()): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const row = await db.setupToken.findUnique({ where: { tokenHash: hashSecretToken(token) } });
  if (!row || row.usedAt || row.expiresAt <= now) return false;
  return (await db.user.count()) === 0;
}
