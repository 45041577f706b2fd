import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";
import { applyExceptionNow } from "./apply-exception-now";
import { createException } from "./create-exception";
import type { DesiredException, ExceptionChange } from "./exception-file";
import { revokeException } from "./revoke-exception";

async function create(db: Db, desired: DesiredException, actor: Actor, now: Date): Promise<string> {
  const { key, targetName: _targetName, ...fields } = desired;
  const exception = await createException(db, { ...fields, createdBy: actor.email }, now);
  await db.exception.update({ where: { id: exception.id }, data: { fileKey: key } });
  const marked = await applyExceptionNow(db, { ...exception, fileKey: key }, now);
  await recordAudit(db, {
    actor: actor.email,
    action: "exception.created",
    target: exception.id,
    detail: {
      source: "file",
      key,
      checkId: exception.checkId,
      namespace: exception.namespace,
      workload: exception.workload,
      container: exception.container,
      image: exception.image,
      findings: String(marked),
    },
    source: actor.ip,
  });
  return exception.id;
}

async function revoke(db: Db, exceptionId: string, key: string | null, actor: Actor, now: Date): Promise<void> {
  await revokeException(db, { exceptionId, revokedBy: actor.email }, now);
  await recordAudit(db, {
    actor: actor.email,
    action: "exception.revoked",
    target: exceptionId,
    detail: { source: "file", key },
    source: actor.ip,
  });
}

/**
 * Applies a plan through the dashboard's services (create and apply at once, extend, revoke), with the same
 * audit rows, each marked `source: file`. A changed scope, reason or owner is a new exception: the old one is
 * revoked, so the audit log keeps who accepted what.
 */
export async function applyExceptionChanges(
  db: Db,
  changes: readonly ExceptionChange[],
  actor: Actor,
  now: Date = new Date(),
): Promise<void> {
  for (const change of changes) {
    switch (change.type) {
      case "create":
        await create(db, change.desired, actor, now);
        break;
      case "replace":
        await revoke(db, change.existing.id, change.existing.fileKey, actor, now);
        await create(db, change.desired, actor, now);
        break;
      case "revoke":
        await revoke(db, change.existing.id, change.existing.fileKey, actor, now);
        break;
      case "extend":
      case "adopt": {
        const { key, expiresAt } = change.desired;
        await db.exception.update({ where: { id: change.existing.id }, data: { fileKey: key, expiresAt } });
        await recordAudit(db, {
          actor: actor.email,
          action: change.type === "adopt" ? "exception.adopted" : "exception.extended",
          target: change.existing.id,
          detail: { source: "file", key, expiresAt: expiresAt.toISOString() },
          source: actor.ip,
        });
        break;
      }
    }
  }
}
