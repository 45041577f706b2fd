import { encryptCredentials } from "@/lib/auth/credentials";
import type { Db, Prisma } from "@/lib/db";
import { targetUpdateSchema, toSummary, type TargetSummary, type TargetUpdate } from "./target-input";

export async function updateTarget(db: Db, targetId: string, patch: TargetUpdate): Promise<TargetSummary> {
  const { credentials, settings, ...fields } = targetUpdateSchema.parse(patch);
  const data: Prisma.TargetUpdateInput = { ...fields };
  if (settings !== undefined) data.settings = settings as Prisma.InputJsonObject;
  if (credentials !== undefined) data.credentials = credentials === null ? null : encryptCredentials(credentials);
  return toSummary(await db.target.update({ where: { id: targetId }, data }));
}

export async function setTargetEnabled(db: Db, targetId: string, enabled: boolean): Promise<TargetSummary> {
  return updateTarget(db, targetId, { enabled });
}
