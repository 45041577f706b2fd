import type { Db } from "@/lib/db";
import { toRole, type Role } from "@/lib/auth/roles";
import { describeScope } from "@/lib/scope/access-scope";
import { targetNames } from "@/lib/services/access/scope-input";

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  owner: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: "active" | "expired" | "revoked";
  /** What the token may see below its owner's scope, in words. */
  scope: string;
}

export async function listApiTokens(db: Db, now = new Date()): Promise<ApiTokenRow[]> {
  const [rows, names] = await Promise.all([
    db.apiToken.findMany({ orderBy: { createdAt: "desc" }, include: { user: { select: { email: true } } } }),
    targetNames(db),
  ]);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: toRole(row.role),
    owner: row.user.email,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    scope: describeScope(row.accessScope, names),
    state: row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "active",
  }));
}
