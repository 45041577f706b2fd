import type { Db } from "@/lib/db";
import { hashSecretToken, newSecretToken } from "./secret-token";
import { toRole, type Role } from "./roles";

export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 60 * 60 * 1000;
// Moving lastSeenAt on every request would write once per page view; a minute's precision is enough for idling.
const TOUCH_AFTER_MS = 60 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** How the caller proved who they are. */
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
}

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
}

export async function createSession(db: Db, userId: string, meta: RequestMeta = {}): Promise<string> {
  const token = newSecretToken("rs");
  const now = Date.now();
  await db.session.create({
    data: {
      tokenHash: hashSecretToken(token),
      userId,
      expiresAt: new Date(now + SESSION_MAX_AGE_MS),
      ip: meta.ip?.slice(0, 100) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  });
  return token;
}

/** The user behind a session cookie, or null when it is unknown, expired, idle too long or the user is disabled. */
export async function getSessionUser(db: Db, token: string, now = new Date()): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    include: { user: true },
  });
  if (!session) return null;
  const idle = now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS;
  if (session.expiresAt <= now || idle || session.user.disabled) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: toRole(user.role),
    via: "session",
    sessionId: session.id,
  };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashSecretToken(token) } });
}

/** Sign-out everywhere: every browser of the user must sign in again. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}
