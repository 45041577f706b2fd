import type { PodSecurityResult, WorkloadEvaluation } from "@/lib/domain/result";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import type { ScanOutput } from "./schema";

// The scan report for people: what fails where, and the one-line fix.

const SEVERITY_LABEL: Record<Severity, string> = { critical: "CRITICAL", high: "HIGH", medium: "MEDIUM", low: "LOW" };

function workloadTitle(evaluation: WorkloadEvaluation): string {
  const { kind, namespace, name } = evaluation.workload;
  return `${kind} ${namespace ? `${namespace}/` : ""}${name}  (${evaluation.source})`;
}

function podSecurityLine(podSecurity: PodSecurityResult): string {
  const verdict = (level: "baseline" | "restricted") => {
    const { allowed, violations } = podSecurity[level];
    return allowed ? `${level} allowed` : `${level} DENIED (${violations.join(", ")})`;
  };
  return `  Pod Security: ${verdict("baseline")}; ${verdict("restricted")}`;
}

function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
}

function renderWorkload(evaluation: WorkloadEvaluation): string[] {
  const lines = [workloadTitle(evaluation)];
  if (evaluation.podSecurity) lines.push(podSecurityLine(evaluation.podSecurity));
  for (const container of evaluation.containers) {
    const score = container.score === null ? "no score" : `score ${Math.round(container.score)}`;
    lines.push(`  container ${container.name}  ${container.image}  ${score}`);
    const failing = container.checks.filter((check) => check.status === "fail").sort(bySeverity);
    if (failing.length === 0) lines.push("    all evaluated checks pass");
    for (const check of failing) {
      const mark = check.excepted ? `excepted (${check.excepted.source}: ${check.excepted.reason})` : "FAIL";
      lines.push(`    ${SEVERITY_LABEL[check.severity].padEnd(8)} ${check.checkId}  ${mark}`);
      lines.push(`             ${check.message}${check.fieldPath ? `  [${check.fieldPath}]` : ""}`);
      if (check.remediation && !check.excepted) lines.push(`             fix: ${check.remediation.summary}`);
    }
  }
  return lines;
}

export interface TableSummary {
  output: ScanOutput;
  skipped: Record<string, number>;
  errors: number;
}

export function renderTable(evaluations: readonly WorkloadEvaluation[], summary: TableSummary): string {
  const blocks = evaluations.map((evaluation) => renderWorkload(evaluation).join("\n"));
  const { workloads, containers, failed, score } = summary.output.summary;
  const excepted = evaluations
    .flatMap((evaluation) => evaluation.containers)
    .reduce(
      (n, container) => n + container.checks.filter((check) => check.status === "fail" && check.excepted).length,
      0,
    );
  const lines = [
    `Summary: ${workloads} workloads, ${containers} containers, ${failed} failing checks` +
      `${excepted > 0 ? ` (+${excepted} excepted)` : ""}, score ${score ?? "n/a"}`,
  ];
  const skipped = Object.entries(summary.skipped).sort(([a], [b]) => a.localeCompare(b));
  if (skipped.length > 0) lines.push(`Skipped kinds: ${skipped.map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  if (summary.errors > 0) lines.push(`Input errors: ${summary.errors} (see stderr)`);
  return [...blocks, lines.join("\n")].join("\n\n") + "\n";
}
