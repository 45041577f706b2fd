import type { Severity } from "@/lib/domain/severity";

// What a message says, as data: the webhook body as is, rendered to text for Slack. Names, checks and messages
// only: a finding's message never holds a secret value (CHECKS.md), and no channel URL or secret is ever in it.

export const NOTIFICATION_EVENTS = ["new-findings", "target-failing", "exception-expiring"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** The most findings one message lists; the total says how many there were. */
export const MAX_LISTED_FINDINGS = 100;

export interface NotifiedFinding {
  id: string;
  checkId: string;
  severity: Severity;
  message: string;
  namespace: string;
  kind: string;
  workload: string;
  container: string;
}

export interface NotifiedException {
  id: string;
  checkId: string;
  scope: string;
  owner: string;
  expiresAt: string;
}

interface TargetRef {
  id: string;
  name: string;
}

export type NotificationPayload =
  | {
      type: "findings.new";
      timestamp: string;
      data: { target: TargetRef; runId: string; minSeverity: Severity; total: number; findings: NotifiedFinding[] };
    }
  | { type: "target.failing"; timestamp: string; data: { target: TargetRef; runId: string; error: string } }
  | { type: "exceptions.expiring"; timestamp: string; data: { withinDays: number; exceptions: NotifiedException[] } }
  | { type: "test"; timestamp: string; data: { channel: string } };

/** Slack's three control characters in mrkdwn text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function where(finding: NotifiedFinding): string {
  const namespace = finding.namespace ? `${finding.namespace}/` : "";
  return `${finding.kind} ${namespace}${finding.workload}, container ${finding.container}`;
}

/** One line per fact, for Slack and for people reading the delivery log. */
export function renderText(payload: NotificationPayload): string {
  switch (payload.type) {
    case "findings.new": {
      const { target, total, findings, minSeverity } = payload.data;
      const head = `Rampart: ${total} new finding${total === 1 ? "" : "s"} (${minSeverity} or above) on ${target.name}`;
      const lines = findings.map((f) => `• [${f.severity}] ${f.checkId}: ${where(f)}: ${f.message}`);
      const more = total > findings.length ? [`…and ${total - findings.length} more`] : [];
      return [head, ...lines, ...more].join("\n");
    }
    case "target.failing":
      return `Rampart: polling ${payload.data.target.name} failed: ${payload.data.error}`;
    case "exceptions.expiring": {
      const { withinDays, exceptions } = payload.data;
      const lines = exceptions.map((e) => `• ${e.checkId} (${e.scope}), owner ${e.owner}, expires ${e.expiresAt}`);
      return [`Rampart: ${exceptions.length} exception(s) expire within ${withinDays} days`, ...lines].join("\n");
    }
    case "test":
      return `Rampart: test message for channel ${payload.data.channel}`;
  }
}

export function renderSlack(payload: NotificationPayload): { text: string } {
  return { text: slackEscape(renderText(payload)) };
}
