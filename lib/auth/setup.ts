import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { newUserSchema } from "@/lib/services/users/user-input";
import { hashPassword } from "./password";
import { hashSecretToken, newSecretToken } from "./secret-token";
import { createSession, type RequestMeta } from "./session-store";

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

export type SetupResult = { ok: true; sessionToken: string } | { ok: false; error: string };

interface SetupInput {
  token: string;
  email: string;
  name: string;
  password: string;
  meta: RequestMeta;
}

/** Creates the first admin and spends the link in one transaction, so two racing submissions make one admin. */
export async function completeSetup(db: Db, input: SetupInput, now = new Date()): Promise<SetupResult> {
  const parsed = newUserSchema.safeParse({ ...input, role: "admin" });
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    };
  const passwordHash = await hashPassword(parsed.data.password);
  const tokenHash = hashSecretToken(input.token);
  const userId = await db.$transaction(async (tx) => {
    const spent = await tx.setupToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1 || (await tx.user.count()) > 0) return null;
    const user = await tx.user.create({
      data: { email: parsed.data.email, name: parsed.data.name, role: "admin", passwordHash, lastSignInAt: now },
    });
    return user.id;
  });
  if (!userId) return { ok: false, error: "This setup link has expired or was already used." };
  await recordAudit(db, {
    actor: parsed.data.email,
    action: "setup.admin-created",
    target: parsed.data.email,
    source: input.meta.ip,
  });
  return { ok: true, sessionToken: await createSession(db, userId, input.meta) };
}
