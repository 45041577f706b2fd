import type { Remediation } from "./result";
import type { Status } from "./severity";

/** One check result as the pages read it: evidence without facts, so no secret derivative. */
export interface StoredResult {
  id: string;
  status: Status;
  severity: string;
  message: string;
  fieldPath: string;
  excepted: boolean;
  exceptionId: string | null;
  /** The rendered fix of a failing result (patches, flags, file lines): built from facts, never a secret value. */
  remediation?: Remediation;
}

/** A check a container was not judged on (`ResultSet.notJudged`). */
export interface NotJudged {
  id: string;
  status: "not-evaluated" | "not-applicable";
  message: string;
}

/** The columns of a Finding row that carry a result. */
export interface FindingResult {
  checkId: string;
  status: string;
  severity: string;
  message: string;
  fieldPath: string;
  exceptionId: string | null;
  /** Its fix (the Fix row it points at), when the reader needs it. */
  remediation?: unknown;
}

/**
 * A container's results from their one home each: open and excepted findings are its failures, its result set's
 * `passed` its passes, `notJudged` the rest (no result set: neither). A check not judged wins over a finding left
 * open (missing data is not a fix).
 */
export function containerResults(
  set: { passed: unknown; notJudged: unknown } | null,
  findings: readonly FindingResult[],
  severityOf: (checkId: string) => string,
): StoredResult[] {
  const notJudged = Array.isArray(set?.notJudged) ? (set?.notJudged as NotJudged[]) : [];
  const skipped = new Set(notJudged.map((n) => n.id));
  const passed = new Set(
    Array.isArray(set?.passed) ? set.passed.filter((id): id is string => typeof id === "string") : [],
  );
  const results: StoredResult[] = [];
  for (const f of findings) {
    if (skipped.has(f.checkId) || passed.has(f.checkId)) continue;
    if (f.status !== "open" && f.status !== "excepted") continue;
    const result: StoredResult = {
      id: f.checkId,
      status: "fail",
      severity: f.severity,
      message: f.message,
      fieldPath: f.fieldPath,
      excepted: f.status === "excepted",
      exceptionId: f.exceptionId,
    };
    if (f.remediation) result.remediation = f.remediation as Remediation;
    results.push(result);
  }
  for (const id of passed) {
    results.push({
      id,
      status: "pass",
      severity: severityOf(id),
      message: "Passed",
      fieldPath: "",
      excepted: false,
      exceptionId: null,
    });
  }
  for (const n of notJudged) {
    results.push({ ...n, severity: severityOf(n.id), fieldPath: "", excepted: false, exceptionId: null });
  }
  return results.sort((a, b) => a.id.localeCompare(b.id));
}
