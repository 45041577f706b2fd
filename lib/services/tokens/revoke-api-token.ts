import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";

export async function revokeApiToken(db: Db, tokenId: string, actor: Actor, now = new Date()): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) return false;
  const row = await db.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: { name: true } });
  await recordAudit(db, { actor: actor.email, action: "token.revoked", target: row.name, source: actor.ip });
  return true;
}
