import type { Db } from "@/lib/db";

/** Makes the target due at once; a worker leases it on its next tick. */
export async function pollTargetNow(db: Db, targetId: string, now: Date = new Date()): Promise<void> {
  await db.target.update({ where: { id: targetId }, data: { nextRunAt: now } });
}
