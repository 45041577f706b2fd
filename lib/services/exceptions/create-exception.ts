import { z } from "zod";
import type { Db, Exception } from "@/lib/db";
import { nulFreeText, plainText } from "@/lib/validation/plain-text";

const optionalScope = nulFreeText()
  .trim()
  .max(500)
  .nullish()
  .transform((v) => (v ? v : null));

export const exceptionInputSchema = z.object({
  checkId: plainText().trim().min(1).max(200),
  targetId: z
    .uuid()
    .nullish()
    .transform((v) => v ?? null),
  namespace: optionalScope,
  /** Workload name, or `Kind/name`. */
  workload: optionalScope,
  container: optionalScope,
  image: optionalScope,
  reason: plainText({ multiline: true }).trim().min(1).max(2000),
  owner: plainText().trim().min(1).max(200),
  expiresAt: z.coerce.date(),
  createdBy: z.string().trim().min(1).max(200),
});
export type ExceptionInput = z.input<typeof exceptionInputSchema>;

export async function createException(db: Db, input: ExceptionInput, now: Date = new Date()): Promise<Exception> {
  const data = exceptionInputSchema.parse(input);
  if (data.expiresAt.getTime() <= now.getTime()) throw new Error("An exception must expire in the future");
  return db.exception.create({ data });
}
