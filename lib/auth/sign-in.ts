import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from "./password";
import { AttemptLimiter } from "./rate-limit";
import { createSession, type RequestMeta } from "./session-store";

export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_OUT_MS = 15 * 60 * 1000;
/** The only message a failed sign-in shows: it never says whether the email exists or the account is locked. */
export const SIGN_IN_ERROR = "Email or password is incorrect, or the account is temporarily locked.";

const perAddress = new AttemptLimiter(20, 60_000);

export type SignInResult = { ok: true; token: string; userId: string } | { ok: false; error: string };

interface SignInInput {
  email: string;
  password: string;
  meta: RequestMeta;
}

async function fail(db: Db, email: string, meta: RequestMeta, reason: string): Promise<SignInResult> {
  await recordAudit(db, {
    actor: email.slice(0, 320) || "anonymous",
    action: "sign-in.failed",
    detail: { reason },
    source: meta.ip,
  });
  return { ok: false, error: SIGN_IN_ERROR };
}

/** A failure counts toward the lock-out; the fifth in a row locks the account for fifteen minutes. */
async function countFailure(
  db: Db,
  userId: string,
  email: string,
  meta: RequestMeta,
  now: Date,
): Promise<SignInResult> {
  const user = await db.user.update({ where: { id: userId }, data: { failedSignIns: { increment: 1 } } });
  if (user.failedSignIns >= MAX_FAILED_SIGN_INS) {
    await db.user.update({
      where: { id: userId },
      data: { failedSignIns: 0, lockedUntil: new Date(now.getTime() + LOCK_OUT_MS) },
    });
    await recordAudit(db, { actor: email, action: "sign-in.locked", target: email, source: meta.ip });
  }
  return fail(db, email, meta, "wrong password");
}

export async function signInWithPassword(db: Db, input: SignInInput, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  // Without a forwarding proxy every client is "unknown": one shared bucket would let anyone lock everyone out.
  const key = input.meta.ip ? `ip:${input.meta.ip}` : `email:${email}`;
  if (!perAddress.take(key, now.getTime())) return fail(db, email, input.meta, "rate limited");
  if (input.password.length > PASSWORD_MAX_LENGTH || email.length > 320) return fail(db, email, input.meta, "too long");
  const user = await db.user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    await verifyPassword(input.password, await decoyHash());
    return fail(db, email, input.meta, user ? "single sign-on account" : "unknown email");
  }
  if (user.lockedUntil && user.lockedUntil > now) return fail(db, email, input.meta, "locked");
  const valid = await verifyPassword(input.password, user.passwordHash);
  if (!valid) return countFailure(db, user.id, email, input.meta, now);
  if (user.disabled) return fail(db, email, input.meta, "disabled");
  await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now } });
  const token = await createSession(db, user.id, input.meta);
  await recordAudit(db, {
    actor: email,
    action: "sign-in.succeeded",
    detail: { method: "password" },
    source: input.meta.ip,
  });
  return { ok: true, token, userId: user.id };
}
