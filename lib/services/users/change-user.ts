import type { Role } from "@/lib/auth/roles";
import { Prisma, type Db } from "@/lib/db";
import { describeScope, type AccessScope } from "@/lib/scope/access-scope";
import { targetNames } from "@/lib/services/access/scope-input";
import { recordAudit } from "@/lib/services/audit";
import { deleteUserSessions } from "@/lib/services/sessions";
import type { DbClient } from "@/lib/services/statement-counter";
import type { Actor } from "./user-input";

export class LastAdminError extends Error {
  constructor() {
    super("the last enabled admin cannot be demoted, disabled or deleted");
  }
}

/** Refuses to leave Rampart without an enabled admin, which no one could then recover from the dashboard. */
async function assertOtherAdmin(db: DbClient, userId: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
  if (!user || user.role !== "admin" || user.disabled) return;
  const others = await db.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new LastAdminError();
}

async function emailOf(db: DbClient, userId: string): Promise<string> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return user.email;
}

// Each change below commits with its audit row or not at all.

/** Takes effect on the user's next request: roles are read from the user row, not stored in the session. */
export async function setUserRole(db: Db, userId: string, role: Role, actor: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    if (role !== "admin") await assertOtherAdmin(tx, userId);
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { role: true, email: true } });
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, {
      actor: actor.email,
      action: "user.role-changed",
      target: before.email,
      detail: { from: before.role, to: role },
      source: actor.ip,
    });
  });
}

/** Disabling also ends every session; the user's API tokens stop working while disabled. */
export async function setUserDisabled(db: Db, userId: string, disabled: boolean, actor: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    if (disabled) await assertOtherAdmin(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { disabled } });
    if (disabled) await deleteUserSessions(tx, userId);
    await recordAudit(tx, {
      actor: actor.email,
      action: disabled ? "user.disabled" : "user.enabled",
      target: await emailOf(tx, userId),
      source: actor.ip,
    });
  });
}

/** Sessions and API tokens go with the user (cascade). */
export async function deleteUser(db: Db, userId: string, actor: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    await assertOtherAdmin(tx, userId);
    const email = await emailOf(tx, userId);
    await tx.user.delete({ where: { id: userId } });
    await recordAudit(tx, { actor: actor.email, action: "user.deleted", target: email, source: actor.ip });
  });
}

/** An admin signs a user out of every browser. */
export async function endUserSessions(db: Db, userId: string, actor: Actor): Promise<number> {
  return db.$transaction(async (tx) => {
    const count = await deleteUserSessions(tx, userId);
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    await recordAudit(tx, {
      actor: actor.email,
      action: "sign-out.everywhere",
      target: user?.email ?? userId,
      source: actor.ip,
    });
    return count;
  });
}

/** Takes effect on the user's next request (read from the user row); null = the whole fleet. */
export async function setUserAccessScope(
  db: Db,
  userId: string,
  scope: AccessScope | null,
  actor: Actor,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { email: true, accessScope: true },
    });
    await tx.user.update({
      where: { id: userId },
      data: { accessScope: scope === null ? Prisma.DbNull : { ...scope } },
    });
    const names = await targetNames(tx);
    await recordAudit(tx, {
      actor: actor.email,
      action: "user.scope-changed",
      target: before.email,
      detail: { from: describeScope(before.accessScope, names), to: describeScope(scope, names) },
      source: actor.ip,
    });
  });
}
