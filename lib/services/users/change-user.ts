import type { Db } from "@/lib/db";
import { deleteUserSessions } from "@/lib/auth/session-store";
import type { Role } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "./user-input";

export class LastAdminError extends Error {
  constructor() {
    super("the last enabled admin cannot be demoted, disabled or deleted");
  }
}

/** Refuses to leave Rampart without an enabled admin, which no one could then recover from the dashboard. */
async function assertOtherAdmin(db: Db, userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
  if (!user || user.role !== "admin" || user.disabled) return;
  const others = await db.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new LastAdminError();
}

async function emailOf(db: Db, userId: string): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return user.email;
}

/** Takes effect on the user's next request: roles are read from the user row, not stored in the session. */
export async function setUserRole(db: Db, userId: string, role: Role, actor: Actor): Promise<void> {
  if (role !== "admin") await assertOtherAdmin(db, userId);
  const before = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { role: true, email: true } });
  await db.user.update({ where: { id: userId }, data: { role } });
  await recordAudit(db, {
    actor: actor.email,
    action: "user.role-changed",
    target: before.email,
    detail: { from: before.role, to: role },
    source: actor.ip,
  });
}

/** Disabling also ends every session; the user's API tokens stop working while disabled. */
export async function setUserDisabled(db: Db, userId: string, disabled: boolean, actor: Actor): Promise<void> {
  if (disabled) await assertOtherAdmin(db, userId);
  await db.user.update({ where: { id: userId }, data: { disabled, failedSignIns: 0, lockedUntil: null } });
  if (disabled) await deleteUserSessions(db, userId);
  await recordAudit(db, {
    actor: actor.email,
    action: disabled ? "user.disabled" : "user.enabled",
    target: await emailOf(db, userId),
    source: actor.ip,
  });
}

/** Sessions and API tokens go with the user (cascade). */
export async function deleteUser(db: Db, userId: string, actor: Actor): Promise<void> {
  await assertOtherAdmin(db, userId);
  const email = await emailOf(db, userId);
  await db.user.delete({ where: { id: userId } });
  await recordAudit(db, { actor: actor.email, action: "user.deleted", target: email, source: actor.ip });
}
