import type { Db } from "@/lib/db";

const JITTER = 0.1;

/** interval ± 10%, so targets added together drift apart instead of polling in lockstep. */
export function nextRunAfter(now: Date, intervalSeconds: number, random: () => number = Math.random): Date {
  const factor = 1 + (random() * 2 - 1) * JITTER;
  return new Date(now.getTime() + Math.round(intervalSeconds * factor * 1000));
}

/** Ends the worker's lease and schedules the next run; false when the lease had already been lost. */
export async function releaseTarget(
  db: Db,
  input: { targetId: string; workerId: string; nextRunAt?: Date; now?: Date },
): Promise<boolean> {
  const target = await db.target.findUnique({ where: { id: input.targetId }, select: { intervalSeconds: true } });
  if (!target) return false;
  const nextRunAt = input.nextRunAt ?? nextRunAfter(input.now ?? new Date(), target.intervalSeconds);
  const { count } = await db.target.updateMany({
    where: { id: input.targetId, leaseOwner: input.workerId },
    data: { leaseOwner: null, leaseExpiresAt: null, nextRunAt },
  });
  return count === 1;
}
