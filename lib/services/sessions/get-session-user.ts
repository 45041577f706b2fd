import type { Db } from "@/lib/db";
import { toRole } from "@/lib/auth/roles";
import { accessOf } from "@/lib/scope/access-scope";
import { hashSecretToken } from "@/lib/auth/secret-token";
import type { SessionUser } from "@/lib/auth/session-store";
import { SESSION_IDLE_MS } from "./session-limits";

// Moving lastSeenAt on every request would write once per page view; a minute's precision is enough for idling.
const TOUCH_AFTER_MS = 60 * 1000;

/**
 * The user behind a session cookie, or null when it is unknown, expired, idle too long or the user is disabled
 * (such a session is deleted). Moves lastSeenAt at most once a minute.
 */
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
    access: accessOf(user.accessScope),
    via: "session",
    sessionId: session.id,
  };
}
