import { encryptCredentials } from "@/lib/auth/credentials";
import type { Db, Prisma } from "@/lib/db";
import {
  checkStoredTarget,
  targetUpdateSchema,
  toSummary,
  type TargetSummary,
  type TargetUpdate,
} from "./target-input";

export async function updateTarget(db: Db, targetId: string, patch: TargetUpdate): Promise<TargetSummary> {
  const { credentials, settings, ...fields } = targetUpdateSchema.parse(patch);
  // Settings are copied back from the row by the page's toggles, so an old row's paths are refused at poll time.
  if (credentials)
    checkStoredTarget({
      credentials,
      ...(fields.platform ? { platform: fields.platform } : {}),
      ...(settings ? { settings: withoutFiles(settings) } : {}),
    });
  const data: Prisma.TargetUpdateInput = { ...fields };
  if (settings !== undefined) data.settings = settings as Prisma.InputJsonObject;
  if (credentials !== undefined) data.credentials = credentials === null ? null : encryptCredentials(credentials);
  return toSummary(await db.target.update({ where: { id: targetId }, data }));
}

export async function setTargetEnabled(db: Db, targetId: string, enabled: boolean): Promise<TargetSummary> {
  return updateTarget(db, targetId, { enabled });
}

function withoutFiles(settings: Record<string, unknown>): Record<string, unknown> {
  const { tlsCaFile: _ca, tlsCertFile: _cert, tlsKeyFile: _key, ...rest } = settings;
  return rest;
}
