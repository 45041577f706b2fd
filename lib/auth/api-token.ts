import type { Db } from "@/lib/db";
import { hashSecretToken } from "./secret-token";
import { lowerRole, toRole } from "./roles";
import type { RequestMeta, SessionUser } from "./session-store";

export const API_TOKEN_PREFIX = "rpt";
const TOUCH_AFTER_MS = 60 * 1000;

/** The bearer value of an `Authorization` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = header ? /^Bearer\s+([A-Za-z0-9_-]{10,200})\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Revoked, expired, unknown tokens and tokens of disabled users are refused; the role is capped by the owner's. */
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
    via: "token",
    tokenId: row.id,
  };
}
