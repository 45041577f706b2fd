import type { Db } from "@/lib/db";
import { leaseLengthMs } from "./lease-due-targets";

/**
 * Extends the worker's lease; false when the lease was lost (expired and taken over). `whileEnabled` (a lease kept
 * for following events) also ends it when the target was disabled.
 */
export async function renewLease(
  db: Db,
  input: {
    targetId: string;
    workerId: string;
    leaseSeconds?: number;
    leaseMs?: number;
    now?: Date;
    whileEnabled?: boolean;
  },
): Promise<boolean> {
  const now = input.now ?? new Date();
  const { count } = await db.target.updateMany({
    where: { id: input.targetId, leaseOwner: input.workerId, ...(input.whileEnabled ? { enabled: true } : {}) },
    data: { leaseExpiresAt: new Date(now.getTime() + leaseLengthMs(input)) },
  });
  return count === 1;
}
