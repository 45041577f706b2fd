import { createHash } from "node:crypto";
import type { CheckResult, ContainerEvaluation } from "@/lib/domain/result";
import type { NotJudged, StoredResult } from "@/lib/domain/stored-result";

export type { StoredResult } from "@/lib/domain/stored-result";

export function workloadKey(w: { namespace: string; kind: string; name: string }): string {
  return JSON.stringify([w.namespace, w.kind, w.name]);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A row id from content: the first 128 bits of the sha256 of `text`, as a uuid (equal content, one row). */
export function sha256Uuid(text: string): string {
  const hex = sha256(text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function storedResult(check: CheckResult): StoredResult {
  const stored: StoredResult = {
    id: check.checkId,
    status: check.status,
    severity: check.severity,
    message: check.message,
    fieldPath: check.fieldPath ?? "",
    excepted: check.excepted !== undefined,
    exceptionId: check.excepted?.exceptionId ?? null,
  };
  if (check.status === "fail" && check.remediation) stored.remediation = check.remediation;
  return stored;
}

/** A judged container's results as stored, in check-id order. */
export function storedResults(container: ContainerEvaluation): StoredResult[] {
  return [...container.checks].sort((a, b) => a.checkId.localeCompare(b.checkId)).map(storedResult);
}

/**
 * For callers that hand in results without facts (tests, `recordRun`): a hash of identity, image and results,
 * so equal results are not rewritten. Collected containers carry the facts hash of lib/evaluate instead.
 */
export function resultsHash(workload: string, container: ContainerEvaluation, results: StoredResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.status,
    r.severity,
    r.message,
    r.fieldPath,
    r.excepted,
    r.exceptionId,
    r.remediation ?? null,
  ]);
  return sha256(
    JSON.stringify([workload, container.name, container.image, container.imageDigest ?? null, container.score, rows]),
  );
}

export interface ResultSetRow {
  id: string;
  passed: string[];
  notJudged: NotJudged[];
}

/**
 * The id of a combination of passes and checks not judged: its content's hash, so each distinct combination is
 * stored once (ResultSet). The SQL function "result_set_id" (migration 20261206190000) computes the same.
 */
export function resultSetId(passed: readonly string[], notJudged: readonly NotJudged[]): string {
  return sha256Uuid(JSON.stringify([passed, notJudged.map((n) => [n.id, n.status, n.message])]));
}

/** The container's share of its results: passes by id and the checks not judged; failures go to findings. */
export function containerResultSet(results: readonly StoredResult[]): ResultSetRow {
  const passed: string[] = [];
  const notJudged: NotJudged[] = [];
  for (const r of results) {
    if (r.status === "pass") passed.push(r.id);
    else if (r.status === "not-evaluated" || r.status === "not-applicable")
      notJudged.push({ id: r.id, status: r.status, message: r.message });
  }
  return { id: resultSetId(passed, notJudged), passed, notJudged };
}
