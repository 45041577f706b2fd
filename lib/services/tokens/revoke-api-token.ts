import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";

/** False when the token is unknown or already revoked; the revocation and its audit row commit together. */
export async function revokeApiToken(db: Db, tokenId: string, actor: Actor, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({
      where: { id: tokenId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return false;
    const row = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: { name: true } });
    await recordAudit(tx, { actor: actor.email, action: "token.revoked", target: row.name, source: actor.ip });
    return true;
  });
}
