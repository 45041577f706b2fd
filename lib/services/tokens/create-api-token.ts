import { z } from "zod";
import type { Db } from "@/lib/db";
import { API_TOKEN_PREFIX } from "@/lib/auth/api-token";
import { roleSchema } from "@/lib/auth/roles";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";
import { describeScope, type AccessScope } from "@/lib/scope/access-scope";
import { targetNames } from "@/lib/services/access/scope-input";

export const apiTokenInputSchema = z.object({
  name: z.string().trim().min(1, "required").max(80),
  role: roleSchema,
  expiresInDays: z.coerce.number().int().min(1).max(365),
});

/** `accessScope` (resolved, see lib/services/access) narrows what the token sees below its owner's scope. */
export type ApiTokenInput = z.input<typeof apiTokenInputSchema> & { accessScope?: AccessScope | null };

/** The token value is returned once, here; the database keeps only its sha256. Created and audited together. */
export async function createApiToken(
  db: Db,
  userId: string,
  input: ApiTokenInput,
  actor: Actor,
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const parsed = apiTokenInputSchema.parse(input);
  const token = newSecretToken(API_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + parsed.expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: parsed.name,
        role: parsed.role,
        userId,
        tokenHash: hashSecretToken(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 7),
        expiresAt,
        ...(input.accessScope ? { accessScope: { ...input.accessScope } } : {}),
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: actor.email,
      action: "token.created",
      target: parsed.name,
      detail: {
        role: parsed.role,
        expiresAt: expiresAt.toISOString(),
        scope: describeScope(input.accessScope ?? null, await targetNames(tx)),
      },
      source: actor.ip,
    });
    return created;
  });
  return { id: row.id, token, expiresAt };
}
