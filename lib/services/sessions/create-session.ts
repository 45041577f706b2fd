import type { RequestMeta } from "@/lib/auth/session-store";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import type { DbClient } from "@/lib/services/statement-counter";
import { SESSION_MAX_AGE_MS } from "./session-limits";

/** The cookie value is returned once, here; the database keeps only its sha256. */
export async function createSession(
  db: DbClient,
  userId: string,
  meta: RequestMeta = {},
  now = new Date(),
): Promise<string> {
  const token = newSecretToken("rs");
  await db.session.create({
    data: {
      tokenHash: hashSecretToken(token),
      userId,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS),
      ip: meta.ip?.slice(0, 100) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  });
  return token;
}
