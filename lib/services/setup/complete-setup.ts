import type { Db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { hashSecretToken } from "@/lib/auth/secret-token";
import type { RequestMeta } from "@/lib/auth/session-store";
import { recordAudit } from "@/lib/services/audit";
import { createSession } from "@/lib/services/sessions";
import { newUserSchema } from "@/lib/services/users/user-input";

export type SetupResult = { ok: true; sessionToken: string } | { ok: false; error: string };

export interface SetupInput {
  token: string;
  email: string;
  name: string;
  password: string;
  meta: RequestMeta;
}

/**
 * Creates the first admin, spends the link, audits it and opens the admin's session in one transaction, so two
 * racing submissions make one admin.
 */
export async function completeSetup(db: Db, input: SetupInput, now = new Date()): Promise<SetupResult> {
  const parsed = newUserSchema.safeParse({ ...input, role: "admin" });
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    };
  const passwordHash = await hashPassword(parsed.data.password);
  const tokenHash = hashSecretToken(input.token);
  const sessionToken = await db.$transaction(async (tx) => {
    const spent = await tx.setupToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1 || (await tx.user.count()) > 0) return null;
    const { email, name } = parsed.data;
    const user = await tx.user.create({ data: { email, name, role: "admin", passwordHash, lastSignInAt: now } });
    await recordAudit(tx, { actor: email, action: "setup.admin-created", target: email, source: input.meta.ip });
    return createSession(tx, user.id, input.meta, now);
  });
  if (!sessionToken) return { ok: false, error: "This setup link has expired or was already used." };
  return { ok: true, sessionToken };
}
