import { Prisma, type Db } from "@/lib/db";

const JITTER = 0.1;

/** 1 ± 10%: the share of its interval a target waits, so targets added together drift apart. */
function jitterFactor(random: () => number = Math.random): number {
  return 1 + (random() * 2 - 1) * JITTER;
}

/** interval ± 10%, so targets added together drift apart instead of polling in lockstep. */
export function nextRunAfter(now: Date, intervalSeconds: number, random: () => number = Math.random): Date {
  return new Date(now.getTime() + Math.round(intervalSeconds * jitterFactor(random) * 1000));
}

/**
 * Ends the worker's lease and schedules the next run; false when the lease had already been lost. With
 * `keepLeaseMs` the worker keeps the lease (renewed for that long) because it follows the target's events.
 */
export async function releaseTarget(
  db: Db,
  input: { targetId: string; workerId: string; nextRunAt?: Date; now?: Date; keepLeaseMs?: number },
): Promise<boolean> {
  const now = (input.now ?? new Date()).toISOString();
  // One statement after every poll: the next run is computed from the stored interval where the row is updated.
  const nextRunAt = input.nextRunAt
    ? Prisma.sql`${input.nextRunAt.toISOString()}::timestamp(3)`
    : Prisma.sql`${now}::timestamp(3) + round("intervalSeconds" * ${jitterFactor()}::float8 * 1000) * interval '1 millisecond'`;
  const lease = input.keepLeaseMs
    ? Prisma.sql`"leaseExpiresAt" = ${now}::timestamp(3) + ${Math.round(input.keepLeaseMs)}::int * interval '1 millisecond'`
    : Prisma.sql`"leaseOwner" = NULL, "leaseExpiresAt" = NULL`;
  const count = await db.$executeRaw(Prisma.sql`
    UPDATE "Target" SET ${lease}, "nextRunAt" = ${nextRunAt}, "updatedAt" = ${now}::timestamp(3)
    WHERE "id" = ${input.targetId}::uuid AND "leaseOwner" = ${input.workerId}`);
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
