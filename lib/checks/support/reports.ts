import { fail, notEvaluated, pass } from "@/lib/checks/define-check";
import type { Available, ContainerFacts, VulnerabilityReport } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";

export const DEFAULT_MAX_REPORT_AGE_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Checks 9 and 10 judge the same kind of evidence, each for its own package class (CHECKS.md "Vulnerability and
 * secret reports"): the newest report for the running digest, its age, and its fixable HIGH/CRITICAL findings.
 */
export function judgeVulnerabilityReport(
  facts: ContainerFacts,
  available: Available<VulnerabilityReport | null> | undefined,
  options: { fieldPath: string; packages: string },
): CheckOutcome {
  const { fieldPath, packages } = options;
  if (!available) return notEvaluated("No vulnerability reports have been ingested");
  if ("unavailable" in available)
    return notEvaluated(`Vulnerability reports could not be read: ${available.unavailable}`);
  const digest = facts.imageDigest ?? "unknown digest";
  const report = available.value;
  if (!report || (facts.imageDigest && report.digest !== facts.imageDigest))
    return fail(`No vulnerability report for ${digest}`, { fieldPath });
  const maxDays = facts.maxReportAgeDays ?? DEFAULT_MAX_REPORT_AGE_DAYS;
  const ageDays = (Date.now() - Date.parse(report.scannedAt)) / DAY_MS;
  if (!(ageDays <= maxDays))
    return fail(
      `The newest ${report.scanner} report for ${digest} is from ${report.scannedAt}, older than ${maxDays} days`,
      { fieldPath },
    );
  const findings = report.fixableHighOrCritical;
  if (findings.length > 0) {
    const ids = findings
      .slice(0, 3)
      .map((f) => `${f.id} (${f.severity}, ${f.pkg})`)
      .join(", ");
    return fail(
      `${findings.length} fixable HIGH/CRITICAL vulnerabilities in ${packages} of ${digest}: ${ids}${findings.length > 3 ? ", …" : ""}`,
      { fieldPath },
    );
  }
  return pass(`${report.scanner} report from ${report.scannedAt} has no fixable HIGH/CRITICAL finding in ${packages}`, {
    fieldPath,
  });
}
