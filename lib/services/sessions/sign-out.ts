import type { Db } from "@/lib/db";
import type { SessionUser } from "@/lib/auth/session-store";
import { recordAudit } from "@/lib/services/audit";
import { deleteSession, deleteUserSessions } from "./delete-sessions";

interface SignOutInput {
  /** The browser's session cookie, if any. */
  token: string | null;
  /** The signed-in user, when the cookie was still valid. */
  user: SessionUser | null;
  /** End every session of the user, not just this browser's. */
  everywhere: boolean;
  source: string | null;
}

/** Ends this browser's session (or all of the user's) and audits it in one transaction. */
export async function signOut(db: Db, input: SignOutInput): Promise<void> {
  const { token, user, everywhere, source } = input;
  await db.$transaction(async (tx) => {
    if (user && everywhere) await deleteUserSessions(tx, user.id);
    else if (token) await deleteSession(tx, token);
    if (!user) return;
    await recordAudit(tx, { actor: user.email, action: everywhere ? "sign-out.everywhere" : "sign-out", source });
  });
}
