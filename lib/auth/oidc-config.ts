import { isRole, ROLE_RANK, type Role } from "./roles";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim holding the user's groups, `groups` unless set. */
  groupsClaim: string;
  /** Space-separated scopes to request: `openid email profile` unless RAMPART_OIDC_SCOPES is set. */
  scopes: string;
  /** Group name → role; a user in several mapped groups gets the highest, in none is refused. */
  groupRoles: Record<string, Role>;
}

/**
 * From RAMPART_OIDC_ISSUER, RAMPART_OIDC_CLIENT_ID, RAMPART_OIDC_CLIENT_SECRET, RAMPART_OIDC_GROUPS_CLAIM and
 * RAMPART_OIDC_GROUP_ROLES (`rampart-admins=admin,sre=engineer`), RAMPART_OIDC_SCOPES; null when single sign-on is not configured.
 */
export function oidcConfigFromEnv(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const issuer = env.RAMPART_OIDC_ISSUER?.trim();
  const clientId = env.RAMPART_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.RAMPART_OIDC_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    issuer: issuer.replace(/\/$/, ""),
    clientId,
    clientSecret,
    groupsClaim: env.RAMPART_OIDC_GROUPS_CLAIM?.trim() || "groups",
    scopes: env.RAMPART_OIDC_SCOPES?.trim() || "openid email profile",
    groupRoles: parseGroupRoles(env.RAMPART_OIDC_GROUP_ROLES ?? ""),
  };
}

/** `group=role` pairs split by `,`, or by `;` or newlines when present, for group names with commas (LDAP DNs). */
export function parseGroupRoles(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of text.split(/[;\n]/.test(text) ? /[;\n]/ : ",")) {
    const index = pair.lastIndexOf("=");
    const group = pair.slice(0, index).trim();
    const role = pair.slice(index + 1).trim();
    if (index > 0 && group && isRole(role)) map[group] = role;
  }
  return map;
}

export function roleForGroups(groups: unknown, groupRoles: Record<string, Role>): Role | null {
  if (!Array.isArray(groups)) return null;
  let best: Role | null = null;
  for (const group of groups) {
    const role = typeof group === "string" ? groupRoles[group] : undefined;
    if (role && (!best || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}
