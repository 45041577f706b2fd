import type { Db, Exception } from "@/lib/db";

export async function extendException(
  db: Db,
  input: { exceptionId: string; expiresAt: Date },
  now: Date = new Date(),
): Promise<Exception> {
  if (input.expiresAt.getTime() <= now.getTime()) throw new Error("An exception must expire in the future");
  const existing = await db.exception.findUnique({
    where: { id: input.exceptionId },
    select: { revokedAt: true, expiresAt: true },
  });
  if (!existing) throw new Error("No such exception");
  if (existing.revokedAt) throw new Error("A revoked exception cannot be extended: create a new one");
  if (input.expiresAt.getTime() <= existing.expiresAt.getTime())
    throw new Error("An exception can only be extended to a later date than it expires now");
  return db.exception.update({ where: { id: input.exceptionId }, data: { expiresAt: input.expiresAt } });
}
