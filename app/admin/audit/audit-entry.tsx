import { Time } from "@/components/ui/time";
import type { AuditAction, AuditRow } from "@/lib/services/audit";
import { visibleText } from "@/lib/format/visible-text";

/** What each action says in the log, as a reader would put it. */
const ACTION_TEXT: Record<AuditAction, string> = {
  "sign-in.succeeded": "signed in",
  "sign-in.failed": "failed to sign in",
  "sign-in.locked": "was locked out after failed sign-ins",
  "sign-out": "signed out",
  "sign-out.everywhere": "signed out everywhere",
  "setup.admin-created": "created the first admin",
  "user.created": "added a user",
  "user.role-changed": "changed a user's role",
  "user.scope-changed": "changed what a user may see",
  "user.disabled": "disabled a user",
  "user.enabled": "enabled a user",
  "user.deleted": "deleted a user",
  "token.created": "created an API token",
  "token.revoked": "revoked an API token",
  "target.created": "added a target",
  "target.updated": "changed a target",
  "target.deleted": "deleted a target",
  "exception.created": "accepted a risk (new exception)",
  "exception.extended": "extended an exception",
  "exception.revoked": "revoked an exception",
  "exception.adopted": "took an exception under file management",
  "key.rotated": "rotated the credentials key",
  "notification.channel-created": "added a notification channel",
  "notification.channel-deleted": "deleted a notification channel",
  "notification.rule-created": "added a notification rule",
  "notification.rule-deleted": "deleted a notification rule",
  "notification.test-sent": "sent a test notification",
  "reports.ingested": "uploaded scanner reports",
  "vulnerability-exception.created": "accepted a vulnerability (new exception)",
  "vulnerability-exception.revoked": "revoked a vulnerability exception",
  "registry.saved": "saved registry credentials",
  "registry.deleted": "deleted registry credentials",
  "registry.imported": "imported registry credentials",
};

export function describeAuditAction(action: string): string {
  return ACTION_TEXT[action as AuditAction] ?? action.replace(/[.-]/g, " ");
}

/** The stored detail (non-secret facts) as "name: value" pairs; anything unreadable is shown as stored. */
function detailPairs(detail: string): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [["detail", detail]];
    return Object.entries(parsed)
      .filter(([, value]) => value !== null && value !== "")
      .map(([key, value]) => [key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(), String(value)]);
  } catch {
    return [["detail", detail]];
  }
}

export function AuditDetail({ detail }: { detail: string }) {
  const pairs = detailPairs(detail);
  if (pairs.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {pairs.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-slate-500">{key}</dt>
          <dd className="break-all text-slate-800">
            {key.endsWith(" at") && !Number.isNaN(Date.parse(value)) ? <Time value={value} /> : visibleText(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditWhen({ row }: { row: Pick<AuditRow, "at"> }) {
  return <Time value={row.at} />;
}
