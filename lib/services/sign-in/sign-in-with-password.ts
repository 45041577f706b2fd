import type { Db } from "@/lib/db";
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from "@/lib/auth/password";
import type { RequestMeta } from "@/lib/auth/session-store";
import { recordAudit } from "@/lib/services/audit";
import { createSession } from "@/lib/services/sessions";
import { getThrottleState, MAX_PAIR_FAILURES, type ThrottleState } from "./sign-in-throttle";

/** The only message a failed sign-in shows: it never says whether the email exists or the source is throttled. */
export const SIGN_IN_ERROR = "Email or password is incorrect, or too many attempts were made: try again later.";

export type SignInResult = { ok: true; token: string; userId: string } | { ok: false; error: string };

export interface SignInInput {
  email: string;
  password: string;
  meta: RequestMeta;
}

/** Seams for tests: the password check (to count scrypt runs) and the wait of a slowed account. */
export interface SignInDeps {
  verify?: (password: string, stored: string) => Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
}

// Made now, so the first unknown email does not pay for hashing the decoy and stand out.
void decoyHash();

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Logs the failure; the one that reaches the pair's limit is also logged as `sign-in.locked`, naming the source. */
async function fail(
  db: Db,
  attempt: { email: string; meta: RequestMeta; throttle: ThrottleState },
  reason: string,
): Promise<SignInResult> {
  const { email, meta, throttle } = attempt;
  await recordAudit(db, {
    actor: email || "anonymous",
    action: "sign-in.failed",
    detail: { reason },
    source: meta.ip,
  });
  if (throttle.pairFailures + 1 === MAX_PAIR_FAILURES) {
    await recordAudit(db, { actor: email || "anonymous", action: "sign-in.locked", target: email, source: meta.ip });
  }
  return { ok: false, error: SIGN_IN_ERROR };
}

/**
 * Every answer about an account costs one scrypt verification (against a decoy hash when there is no password to
 * check or the source is throttled for the email), so unknown, single-sign-on, throttled, disabled and wrong-password
 * answers take the same time. Only a source refused for all emails answers at once: that says nothing of an email.
 */
export async function signInWithPassword(
  db: Db,
  input: SignInInput,
  now = new Date(),
  deps: SignInDeps = {},
): Promise<SignInResult> {
  const { verify = verifyPassword, sleep = sleepFor } = deps;
  const email = input.email.trim().toLowerCase().slice(0, 320);
  const source = input.meta.ip ?? null;
  const throttle = await getThrottleState(db, { email, source, now });
  const attempt = { email, meta: input.meta, throttle };
  if (throttle.isSourceBlocked) return fail(db, attempt, "source throttled");
  if (throttle.delayMs > 0) await sleep(throttle.delayMs);
  const tooLong = input.password.length > PASSWORD_MAX_LENGTH || input.email.length > 320;
  const user = tooLong ? null : await db.user.findUnique({ where: { email } });
  const usable = !throttle.isPairBlocked && user?.passwordHash ? user.passwordHash : null;
  const valid = await verify(tooLong ? "" : input.password, usable ?? (await decoyHash()));
  if (tooLong) return fail(db, attempt, "too long");
  if (throttle.isPairBlocked) return fail(db, attempt, "throttled");
  if (!user) return fail(db, attempt, "unknown email");
  if (!usable) return fail(db, attempt, "single sign-on account");
  if (!valid) return fail(db, attempt, "wrong password");
  if (user.disabled) return fail(db, attempt, "disabled");
  const token = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await recordAudit(tx, { actor: email, action: "sign-in.succeeded", detail: { method: "password" }, source });
    return createSession(tx, user.id, input.meta, now);
  });
  return { ok: true, token, userId: user.id };
}
