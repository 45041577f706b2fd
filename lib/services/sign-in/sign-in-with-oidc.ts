import type { Db } from "@/lib/db";
import { roleForGroups } from "@/lib/auth/oidc-config";
import type { Role } from "@/lib/auth/roles";
import type { RequestMeta } from "@/lib/auth/session-store";
import { recordAudit } from "@/lib/services/audit";
import { createSession } from "@/lib/services/sessions";
import type { DbClient } from "@/lib/services/statement-counter";

export type OidcSignInResult = { ok: true; sessionToken: string } | { ok: false; reason: string };

export interface OidcSignInInput {
  issuer: string;
  groupRoles: Record<string, Role>;
  /** Claims of an ID token that openid-client has verified. */
  claims: Record<string, unknown>;
  groups: unknown;
  meta: RequestMeta;
}

class Refusal extends Error {}

/** The Rampart user of this subject: found, linked by a verified email, or created. */
async function userOfSubject(tx: DbClient, input: OidcSignInInput, email: string, role: Role) {
  const subject = `${input.issuer}|${String(input.claims.sub)}`;
  const existing = await tx.user.findUnique({ where: { oidcSubject: subject } });
  if (existing) return existing;
  const byEmail = await tx.user.findUnique({ where: { email } });
  if (byEmail && (byEmail.oidcSubject || input.claims.email_verified !== true)) {
    throw new Refusal("email belongs to another account");
  }
  if (byEmail) return tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: subject } });
  const name = typeof input.claims.name === "string" ? input.claims.name.slice(0, 120) : "";
  return tx.user.create({ data: { email, name, role, oidcSubject: subject } });
}

/**
 * The provider decides the role on every sign-in; a password account with the same email is linked only when the
 * provider says the email is verified. Linking, the role, the session and the audit row commit together.
 */
export async function signInWithOidcClaims(db: Db, input: OidcSignInInput): Promise<OidcSignInResult> {
  const { claims, meta } = input;
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase().slice(0, 320) : "";
  const refuse = async (reason: string, actor = email || "anonymous"): Promise<OidcSignInResult> => {
    await recordAudit(db, { actor, action: "sign-in.failed", detail: { method: "oidc", reason }, source: meta.ip });
    return { ok: false, reason };
  };
  if (typeof claims.sub !== "string" || !claims.sub || !email) return refuse("no subject or email claim", "anonymous");
  const role = roleForGroups(input.groups, input.groupRoles);
  if (!role) return refuse("no group mapped to a role");
  try {
    const sessionToken = await db.$transaction(async (tx) => {
      const user = await userOfSubject(tx, input, email, role);
      if (user.disabled) throw new Refusal("disabled");
      await tx.user.update({ where: { id: user.id }, data: { role, lastSignInAt: new Date() } });
      await recordAudit(tx, {
        actor: email,
        action: "sign-in.succeeded",
        detail: { method: "oidc", role },
        source: meta.ip,
      });
      return createSession(tx, user.id, meta);
    });
    return { ok: true, sessionToken };
  } catch (error) {
    if (error instanceof Refusal) return refuse(error.message);
    throw error;
  }
}
