import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "@/lib/db";
import type { NotificationPayload } from "@/lib/notifications/payload";
import { sendNotification, type SendResult } from "@/lib/notifications/send";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";
import { openChannel } from "./channels";

/** Attempts per message: the first and five retries, 30 s, 2 min, 8 min, 32 min and 2 h after each failure. */
export const MAX_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 2 * 3600_000;
/** Longer than one attempt can take (10 s timeout), so a crashed worker's claim lapses and another sends. */
const CLAIM_MS = 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 4 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: string;
  attempts: number;
  payload: NotificationPayload;
  kind: string;
  credentials: string;
}

async function attempt(db: Db, row: Claimed, now: Date, maxAttempts: number): Promise<SendResult> {
  let result: SendResult;
  try {
    const { kind, secret } = openChannel(row);
    result = await sendNotification({ kind, channel: secret, deliveryId: row.id, payload: row.payload, now });
  } catch {
    result = { ok: false, error: "the channel's credentials cannot be decrypted with the current key" };
  }
  const attempts = row.attempts + 1;
  const finalFailure = !result.ok && attempts >= maxAttempts;
  await db.notificationDelivery.update({
    where: { id: row.id },
    data: {
      attempts,
      status: result.ok ? "delivered" : finalFailure ? "failed" : "pending",
      deliveredAt: result.ok ? new Date() : null,
      nextAttemptAt: new Date(now.getTime() + (result.ok || finalFailure ? 0 : backoffMs(attempts))),
      lockedUntil: null,
      responseStatus: result.status ?? null,
      responseExcerpt: result.excerpt ?? null,
      error: result.error ?? null,
    },
  });
  return result;
}

/**
 * Claims due messages (SKIP LOCKED, so workers share the queue without waiting on each other) and sends each
 * once; a failure is retried later with backoff until MAX_ATTEMPTS. Returns how many were attempted.
 */
export async function deliverDueNotifications(db: Db, input: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = input.now ?? new Date();
  const stamp = now.toISOString();
  const claimed = await db.$queryRaw<Claimed[]>(Prisma.sql`
    WITH due AS (
      SELECT "id" FROM "NotificationDelivery"
      WHERE "status" = 'pending' AND "nextAttemptAt" <= ${stamp}::timestamp(3)
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${stamp}::timestamp(3))
      ORDER BY "nextAttemptAt"
      LIMIT ${input.limit ?? 20}::int
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "NotificationDelivery" d
    SET "lockedUntil" = ${stamp}::timestamp(3) + ${CLAIM_MS}::int * interval '1 millisecond'
    FROM due, "NotificationChannel" c
    WHERE d."id" = due."id" AND c."id" = d."channelId"
    RETURNING d."id", d."attempts", d."payload", c."kind", c."credentials"`);
  for (const row of claimed) await attempt(db, row, now, MAX_ATTEMPTS);
  return claimed.length;
}

/** "Send test": one attempt now, kept in the delivery log like any message, never retried. */
export async function sendTestNotification(db: Db, channelId: string, actor: Actor): Promise<SendResult> {
  const channel = await db.notificationChannel.findUnique({ where: { id: channelId } });
  if (!channel) return { ok: false, error: "That channel does not exist" };
  const now = new Date();
  const payload: NotificationPayload = { type: "test", timestamp: now.toISOString(), data: { channel: channel.name } };
  const row = await db.notificationDelivery.create({
    data: {
      channelId,
      event: "test",
      dedupeKey: `test:${randomUUID()}`,
      payload,
      lockedUntil: new Date(now.getTime() + CLAIM_MS),
    },
    select: { id: true, attempts: true },
  });
  const result = await attempt(db, { ...row, payload, kind: channel.kind, credentials: channel.credentials }, now, 1);
  await recordAudit(db, {
    actor: actor.email,
    action: "notification.test-sent",
    target: channel.name,
    detail: { delivered: result.ok, status: result.status ?? null },
    source: actor.ip,
  });
  return result;
}
