import type { Db } from "@/lib/db";
import { toRole, type Role } from "@/lib/auth/roles";

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
}

export async function listApiTokens(db: Db, now = new Date()): Promise<ApiTokenRow[]> {
  const rows = await db.apiToken.findMany({
    orderBy: { createdAt: "desc" },
    include: { user: { select: { email: true } } },
  });
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
    state: row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "active",
  }));
}
