import type { Db } from "@/lib/db";
import { toRole, type Role } from "@/lib/auth/roles";
import { describeScope } from "@/lib/scope/access-scope";
import { scopeFormValues, targetNames } from "@/lib/services/access/scope-input";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  sso: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  /** What the user may see, in words ("whole fleet" when unlimited). */
  scope: string;
  /** The stored scope as the form shows it: target names, `target/namespace` lines, team lines. */
  scopeInput: { targets: string[]; namespaces: string; teams: string };
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const [users, names] = await Promise.all([db.user.findMany({ orderBy: { email: "asc" } }), targetNames(db)]);
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: toRole(user.role),
    disabled: user.disabled,
    sso: user.oidcSubject !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    scope: describeScope(user.accessScope, names),
    scopeInput: scopeFormValues(user.accessScope, names),
  }));
}
