import type { StoredResult } from "@/lib/domain/stored-result";

export type FindingStatus = "open" | "excepted" | "resolved";
export type FindingEventKind = "opened" | "resolved" | "removed" | "reopened" | "excepted" | "unexcepted";

export interface ExistingFinding {
  id: string;
  containerId: string;
  checkId: string;
  status: FindingStatus;
  exceptionId: string | null;
  message: string;
  severity: string;
  fieldPath: string;
  remediation?: unknown;
}

export interface FindingState {
  status: FindingStatus;
  exceptionId: string | null;
  message: string;
  severity: string;
  fieldPath: string;
  /** The fix while failing; a resolved finding keeps its evidence but not its fix. */
  remediation: unknown;
}

/** JSON with keys sorted, so a fix read back from jsonb compares equal to the one just rendered. */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export type FindingChange =
  | { type: "create"; state: FindingState; event?: FindingEventKind }
  | { type: "update"; id: string; state: FindingState; event?: FindingEventKind };

/** What a result asks of its finding; `not-evaluated` asks nothing (the data was missing, not fixed). */
function desiredStatus(result: StoredResult): FindingStatus | undefined {
  if (result.status === "fail") return result.excepted ? "excepted" : "open";
  if (result.status === "pass" || result.status === "not-applicable") return "resolved";
  return undefined;
}

const EVENT: Record<FindingStatus, Record<FindingStatus, FindingEventKind | undefined>> = {
  open: { open: undefined, excepted: "excepted", resolved: "resolved" },
  excepted: { open: "unexcepted", excepted: undefined, resolved: "resolved" },
  resolved: { open: "reopened", excepted: "excepted", resolved: undefined },
};

function sameContent(existing: ExistingFinding, state: FindingState): boolean {
  return (
    existing.exceptionId === state.exceptionId &&
    existing.message === state.message &&
    existing.severity === state.severity &&
    existing.fieldPath === state.fieldPath &&
    canonical(existing.remediation) === canonical(state.remediation)
  );
}

/** The change one result makes to its finding, or undefined when the row stays as it is. */
export function planFindingChange(
  result: StoredResult,
  existing: ExistingFinding | undefined,
): FindingChange | undefined {
  const status = desiredStatus(result);
  if (status === undefined) return undefined;
  if (!existing) {
    if (status === "resolved") return undefined;
    const state = {
      status,
      exceptionId: result.exceptionId,
      message: result.message,
      severity: result.severity,
      fieldPath: result.fieldPath,
      remediation: result.remediation ?? null,
    };
    // A finding's opening is its firstSeenAt: an event would only copy it. An exception at first sight is a
    // status of its own, which the workload score history reads.
    return status === "open" ? { type: "create", state } : { type: "create", state, event: "excepted" };
  }
  // A resolved finding keeps the evidence of its last failure.
  const state: FindingState =
    status === "resolved"
      ? {
          status,
          exceptionId: null,
          message: existing.message,
          severity: existing.severity,
          fieldPath: existing.fieldPath,
          remediation: null,
        }
      : {
          status,
          exceptionId: result.exceptionId,
          message: result.message,
          severity: result.severity,
          fieldPath: result.fieldPath,
          remediation: result.remediation ?? null,
        };
  const event = EVENT[existing.status][status];
  if (!event && sameContent(existing, state)) return undefined;
  return { type: "update", id: existing.id, state, event };
}
