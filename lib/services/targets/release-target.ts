import type { Db } from "@/lib/db";

const JITTER = 0.1;

/** interval ± 10%, so targets added together drift apart instead of polling in lockstep. */
export function nextRunAfter(now: Date, intervalSeconds: number, random: () => number = Math.random): Date {
  const factor = 1 + (random() * 2 - 1) * JITTER;
  return new Date(now.getTime() + Math.round(intervalSeconds * factor * 1000));
}

/**
 * Ends the worker's lease and schedules the next run; false when the lease had already been lost. With
 * `keepLeaseMs` the worker keeps the lease (renewed for that long) because it follows the target's events.
 */
export async function releaseTarget(
  db: Db,
  input: { targetId: string; workerId: string; nextRunAt?: Date; now?: Date; keepLeaseMs?: number },
): Promise<boolean> {
  const target = await db.target.findUnique({ where: { id: input.targetId }, select: { intervalSeconds: true } });
  if (!target) return false;
  const now = input.now ?? new Date();
  const nextRunAt = input.nextRunAt ?? nextRunAfter(now, target.intervalSeconds);
  const lease = input.keepLeaseMs
    ? { leaseExpiresAt: new Date(now.getTime() + input.keepLeaseMs) }
    : { leaseOwner: null, leaseExpiresAt: null };
  const { count } = await db.target.updateMany({
    where: { id: input.targetId, leaseOwner: input.workerId },
    data: { ...lease, nextRunAt },
  });
  return count === 1;
}

/** Gives up a lease kept for following events, leaving the next run time as it is. */
export async function dropLease(db: Db, input: { targetId: string; workerId: string }): Promise<boolean> {
  const { count } = await db.target.updateMany({
    where: { id: input.targetId, leaseOwner: input.workerId },
    data: { leaseOwner: null, leaseExpiresAt: null },
  });
  return count === 1;
}
