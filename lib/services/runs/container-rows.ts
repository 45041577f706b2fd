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

/** The container row's share of its results: passes by id and the checks not judged; failures go to findings. */
export function containerColumns(results: readonly StoredResult[]): { passed: string[]; notJudged: NotJudged[] } {
  const passed: string[] = [];
  const notJudged: NotJudged[] = [];
  for (const r of results) {
    if (r.status === "pass") passed.push(r.id);
    else if (r.status === "not-evaluated" || r.status === "not-applicable")
      notJudged.push({ id: r.id, status: r.status, message: r.message });
  }
  return { passed, notJudged };
}
