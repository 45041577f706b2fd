import type { Db } from "@/lib/db";
import { toRole, type Role } from "@/lib/auth/roles";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  sso: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const users = await db.user.findMany({ orderBy: { email: "asc" } });
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: toRole(user.role),
    disabled: user.disabled,
    sso: user.oidcSubject !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  }));
}
