import { hashSecretToken } from "@/lib/auth/secret-token";
import type { DbClient } from "@/lib/services/statement-counter";

export async function deleteSession(db: DbClient, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashSecretToken(token) } });
}

/** Sign-out everywhere: every browser of the user must sign in again. */
export async function deleteUserSessions(db: DbClient, userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}
