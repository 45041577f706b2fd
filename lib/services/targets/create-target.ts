import { encryptCredentials } from "@/lib/auth/credentials";
import type { Db, Prisma } from "@/lib/db";
import { checkStoredTarget, targetInputSchema, toSummary, type TargetInput, type TargetSummary } from "./target-input";

export async function createTarget(db: Db, input: TargetInput): Promise<TargetSummary> {
  const { credentials, settings, ...fields } = targetInputSchema.parse(input);
  checkStoredTarget({ platform: fields.platform, settings, credentials });
  const target = await db.target.create({
    data: {
      ...fields,
      settings: settings as Prisma.InputJsonObject,
      credentials: credentials ? encryptCredentials(credentials) : null,
    },
  });
  return toSummary(target);
}
