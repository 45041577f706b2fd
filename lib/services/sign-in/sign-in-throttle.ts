import type { Db } from "@/lib/db";

/**
 * Sign-in throttling, counted from the audit log's `sign-in.failed` rows so it holds across processes and restarts:
 * - per (email, source): MAX_PAIR_FAILURES in the window refuse that source for that email, even the right password;
 * - per source, across emails: MAX_SOURCE_FAILURES refuse the source altogether;
 * - per email, across sources: past SLOW_AFTER_ACCOUNT_FAILURES every attempt waits a little longer, but is never
 *   refused, so nobody can lock a user out from elsewhere.
 * Emails are counted as typed (normalised), whether or not an account exists, so the throttle reveals nothing.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_PAIR_FAILURES = 5;
export const MAX_SOURCE_FAILURES = 30;
export const SLOW_AFTER_ACCOUNT_FAILURES = 10;
const DELAY_STEP_MS = 250;
const MAX_DELAY_MS = 3000;

export interface ThrottleState {
  /** Failures of this email from this source in the window, since its last success from there. */
  pairFailures: number;
  /** This source may not try this email (or any email) until older failures leave the window. */
  isPairBlocked: boolean;
  isSourceBlocked: boolean;
  /** How long to hold this attempt because of failures against the email from everywhere. */
  delayMs: number;
}

interface ThrottleKey {
  email: string;
  source: string | null;
  now: Date;
}

/** The newest success of this email from this source clears the pair's earlier failures. */
async function pairSince(db: Db, { email, source, now }: ThrottleKey): Promise<Date> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const success = await db.auditLog.findFirst({
    where: { action: "sign-in.succeeded", actor: email, source, at: { gt: windowStart } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return success?.at ?? windowStart;
}

export async function getThrottleState(db: Db, key: ThrottleKey): Promise<ThrottleState> {
  const windowStart = new Date(key.now.getTime() - THROTTLE_WINDOW_MS);
  const failed = { action: "sign-in.failed", at: { gt: windowStart } } as const;
  const [sourceFailures, accountFailures, since] = await Promise.all([
    db.auditLog.count({ where: { ...failed, source: key.source } }),
    db.auditLog.count({ where: { ...failed, actor: key.email } }),
    pairSince(db, key),
  ]);
  const pairFailures = await db.auditLog.count({
    where: { action: "sign-in.failed", actor: key.email, source: key.source, at: { gt: since } },
  });
  const excess = accountFailures - SLOW_AFTER_ACCOUNT_FAILURES;
  return {
    pairFailures,
    isPairBlocked: pairFailures >= MAX_PAIR_FAILURES,
    isSourceBlocked: sourceFailures >= MAX_SOURCE_FAILURES,
    delayMs: excess > 0 ? Math.min(MAX_DELAY_MS, excess * DELAY_STEP_MS) : 0,
  };
}
