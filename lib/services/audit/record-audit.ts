import type { DbClient } from "@/lib/services/statement-counter";

export const AUDIT_ACTIONS = [
  "sign-in.succeeded",
  "sign-in.failed",
  "sign-in.locked",
  "sign-out",
  "sign-out.everywhere",
  "setup.admin-created",
  "user.created",
  "user.role-changed",
  "user.scope-changed",
  "user.disabled",
  "user.enabled",
  "user.deleted",
  "token.created",
  "token.revoked",
  "target.created",
  "target.updated",
  "target.deleted",
  "exception.created",
  "exception.extended",
  "exception.revoked",
  "exception.adopted",
  "key.rotated",
  "notification.channel-created",
  "notification.channel-deleted",
  "notification.rule-created",
  "notification.rule-deleted",
  "notification.test-sent",
  "reports.ingested",
  "vulnerability-exception.created",
  "vulnerability-exception.revoked",
  "registry.saved",
  "registry.deleted",
  "registry.imported",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Email of the user, `system`, or `anonymous`. */
  actor: string;
  action: AuditAction;
  /** What was acted on: a user email, target name, token name, exception id. */
  target?: string | null;
  /** Non-secret facts only: never a password, token or credential. */
  detail?: Record<string, string | number | boolean | null>;
  /** Client address, when known. */
  source?: string | null;
}

/** Pass the transaction of the action being audited, so the action and its row commit or fail together. */
export async function recordAudit(db: DbClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: entry.actor.slice(0, 320),
      action: entry.action,
      target: entry.target?.slice(0, 320) ?? null,
      detail: entry.detail ?? {},
      source: entry.source?.slice(0, 100) ?? null,
    },
  });
}
