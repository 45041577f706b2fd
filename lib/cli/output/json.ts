import { readFileSync } from "node:fs";
import type { CheckResult, WorkloadEvaluation } from "@/lib/domain/result";
import { containerScore, displayScore, scopeScore } from "@/lib/scoring";
import { scanOutputSchema, type CheckOutput, type ResultOutput, type ScanOutput } from "./schema";

let cachedVersion: string | undefined;

/** The version of the installed package, from its package.json. */
export function toolVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
  ).version;
  return cachedVersion;
}

function toCheckOutput(result: CheckResult): CheckOutput {
  const check: CheckOutput = {
    id: result.checkId,
    status: result.status,
    severity: result.severity,
    message: result.message,
  };
  if (result.fieldPath !== undefined) check.fieldPath = result.fieldPath;
  if (result.remediation) check.remediation = result.remediation;
  if (result.excepted) check.excepted = result.excepted;
  return check;
}

function toResultOutput(evaluation: WorkloadEvaluation): ResultOutput {
  const { kind, namespace, name, platform } = evaluation.workload;
  const result: ResultOutput = {
    platform,
    source: evaluation.source,
    workload: { kind, namespace, name },
    containers: evaluation.containers.map((container) => ({
      name: container.name,
      image: container.image,
      score: displayScore(container.score),
      checks: container.checks.map(toCheckOutput),
    })),
  };
  if (evaluation.podSecurity) result.podSecurity = evaluation.podSecurity;
  if (evaluation.remediation) result.remediation = evaluation.remediation;
  return result;
}

export function isOpenFailure(check: Pick<CheckResult, "status" | "excepted">): boolean {
  return check.status === "fail" && check.excepted === undefined;
}

/** The scan document, validated against its schema so a malformed one is never printed. */
export function buildScanOutput(evaluations: readonly WorkloadEvaluation[]): ScanOutput {
  const containers = evaluations.flatMap((evaluation) => evaluation.containers);
  const document: ScanOutput = {
    tool: { name: "rampart", version: toolVersion() },
    results: evaluations.map(toResultOutput),
    summary: {
      workloads: evaluations.length,
      containers: containers.length,
      failed: containers.reduce((n, container) => n + container.checks.filter(isOpenFailure).length, 0),
      // Recomputed from the checks so the summary does not average rounded scores.
      score: displayScore(scopeScore(containers.map((container) => containerScore(container.checks)))),
    },
  };
  return scanOutputSchema.parse(document);
}
