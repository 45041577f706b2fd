import type { Db, Exception } from "@/lib/db";
import { unapplyException } from "./apply-exception-now";

/** Stops the exception from applying, at once: the findings it held are open again. */
export async function revokeException(
  db: Db,
  input: { exceptionId: string; revokedBy: string },
  now: Date = new Date(),
): Promise<Exception> {
  const { exceptionId, revokedBy } = input;
  const exception = await db.exception.update({ where: { id: exceptionId }, data: { revokedAt: now, revokedBy } });
  await unapplyException(db, exceptionId, now);
  return exception;
}
