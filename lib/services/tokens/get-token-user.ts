import type { Db } from "@/lib/db";
import { hashSecretToken } from "@/lib/auth/secret-token";
import { lowerRole, toRole } from "@/lib/auth/roles";
import { accessOf } from "@/lib/scope/access-scope";
import type { RequestMeta, SessionUser } from "@/lib/auth/session-store";

const TOUCH_AFTER_MS = 60 * 1000;

/**
 * The caller behind a bearer API token. Revoked, expired, unknown tokens and tokens of disabled users are refused;
 * the role is capped by the owner's, and
 * the token's scope narrows the owner's. Records when and from where it was last used, at most once a minute.
 */
export async function getTokenUser(
  db: Db,
  token: string,
  meta: RequestMeta = {},
  now = new Date(),
): Promise<SessionUser | null> {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecretToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.disabled) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    await db.apiToken.updateMany({
      where: { id: row.id },
      data: { lastUsedAt: now, lastUsedIp: meta.ip?.slice(0, 100) ?? null },
    });
  }
  return {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: lowerRole(toRole(row.role), toRole(row.user.role)),
    access: accessOf(row.user.accessScope, row.accessScope),
    via: "token",
    tokenId: row.id,
  };
}
