"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { apiTokenInputSchema, createApiToken, revokeApiToken } from "@/lib/services/tokens";
import { resolveScopeInput, scopeFields, ScopeInputError } from "@/lib/services/access/scope-input";
import { actorOf } from "../actor";

export interface TokenFormState {
  error: string | null;
  /** The new token's value, shown once and never again. */
  token: string | null;
}

export async function addToken(_state: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const admin = await requireRole("admin");
  const parsed = apiTokenInputSchema.safeParse({
    name: formData.get("name"),
    role: formData.get("role"),
    expiresInDays: formData.get("expiresInDays"),
  });
  if (!parsed.success) {
    return {
      error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
      token: null,
    };
  }
  let accessScope;
  try {
    accessScope = await resolveScopeInput(getDb(), scopeFields(formData));
  } catch (error) {
    if (error instanceof ScopeInputError) return { error: error.message, token: null };
    throw error;
  }
  const created = await createApiToken(getDb(), admin.id, { ...parsed.data, accessScope }, await actorOf(admin));
  revalidatePath("/admin/tokens");
  return { error: null, token: created.token };
}

export async function revokeToken(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const { tokenId } = z.object({ tokenId: z.uuid() }).parse({ tokenId: formData.get("tokenId") });
  await revokeApiToken(getDb(), tokenId, await actorOf(admin));
  revalidatePath("/admin/tokens");
}
