import type { Db, Exception } from "@/lib/db";

/** Stops the exception from applying; its findings turn open again on the next run of their targets. */
export async function revokeException(db: Db, exceptionId: string, now: Date = new Date()): Promise<Exception> {
  return db.exception.update({ where: { id: exceptionId }, data: { revokedAt: now } });
}
