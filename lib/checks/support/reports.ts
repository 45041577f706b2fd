import { fail, notEvaluated, pass } from "@/lib/checks/define-check";
import type { Available, ContainerFacts, ReportMatch, SecretReport, VulnerabilityReport } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";

export const DEFAULT_MAX_REPORT_AGE_DAYS = 7;
const DAY_MS = 86_400_000;
/** How many ids the evidence names; the rest are counted. */
const LISTED = 3;

const MATCHED_BY: Record<ReportMatch, string> = {
  config: "image ID",
  manifest: "platform manifest digest",
  repository: "repository digest",
  labels: "trivy-operator labels",
};

/** `Trivy report of 2026-05-01 (matched by image ID)`: which report the evidence comes from. */
export function describeReport(report: { scanner: string; scannedAt: string; matchedBy?: ReportMatch }): string {
  const matched = report.matchedBy ? ` (matched by ${MATCHED_BY[report.matchedBy]})` : "";
  return `${report.scanner} report of ${report.scannedAt.slice(0, 10)}${matched}`;
}

function excepted(report: VulnerabilityReport): string {
  const count = report.excepted?.length ?? 0;
  return count > 0 ? `; ${count} excepted (${report.excepted?.[0]?.id}: ${report.excepted?.[0]?.reason})` : "";
}

/**
 * Checks 9 and 10 judge the same kind of evidence, each for its own package class (CHECKS.md "Vulnerability and
 * secret reports"): the newest report matching the running image, its age, and its fixable HIGH/CRITICAL findings
 * that no exception or VEX statement sets aside.
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
  const report = available.value;
  if (!report)
    return fail(`No vulnerability report matches the running image ${facts.imageDigest ?? facts.image}`, { fieldPath });
  const maxDays = facts.maxReportAgeDays ?? DEFAULT_MAX_REPORT_AGE_DAYS;
  const judged = judgedReport(report, packages);
  const ageDays = (Date.now() - judged.scannedAt) / DAY_MS;
  if (!(ageDays <= maxDays))
    return fail(`The newest report is a ${describeReport(report)}, older than ${maxDays} days`, { fieldPath });
  return judged.passes ? pass(judged.message, { fieldPath }) : fail(judged.message, { fieldPath });
}

interface JudgedReport {
  packages: string;
  scannedAt: number;
  /** No finding left open: the check passes, if the report is recent enough. */
  passes: boolean;
  message: string;
}

/**
 * The verdict on a report's findings, apart from its age: built once per report facts object, which matching shares
 * among the containers of an image (facts are never changed once built), not once per container.
 */
const judgedReports = new WeakMap<VulnerabilityReport, JudgedReport>();

function judgedReport(report: VulnerabilityReport, packages: string): JudgedReport {
  const cached = judgedReports.get(report);
  if (cached?.packages === packages) return cached;
  const judged = { packages, scannedAt: Date.parse(report.scannedAt), ...findingsVerdict(report, packages) };
  judgedReports.set(report, judged);
  return judged;
}

function findingsVerdict(report: VulnerabilityReport, packages: string): { passes: boolean; message: string } {
  const source = describeReport(report);
  const findings = report.fixableHighOrCritical;
  if (findings.length === 0)
    return {
      passes: true,
      message: `${source}: no fixable HIGH/CRITICAL vulnerability in ${packages}${excepted(report)}`,
    };
  const critical = findings.filter((f) => f.severity === "CRITICAL").length;
  const ids = findings
    .slice(0, LISTED)
    .map((f) => `${f.id} (${f.pkg}${f.fixedVersion ? `, fixed in ${f.fixedVersion}` : ""})`)
    .join(", ");
  return {
    passes: false,
    message: `${findings.length} fixable HIGH/CRITICAL vulnerabilities in ${packages} (${critical} critical) per ${source}: ${ids}${findings.length > LISTED ? ", …" : ""}${excepted(report)}`,
  };
}

/** A fail when the newest matching secret report lists a secret: rule id, file and layer, never the matched text. */
export function layerSecretFailure(report: SecretReport | null | undefined, fieldPath: string): CheckOutcome | null {
  const first = report?.secrets[0];
  if (!report || !first) return null;
  const layer = first.layer ? ` (layer ${first.layer})` : "";
  const more = report.secrets.length > 1 ? ` and ${report.secrets.length - 1} more` : "";
  return fail(
    `The ${describeReport(report)} lists a secret in the image: rule ${first.ruleId} in ${first.file}${layer}${more}`,
    { fieldPath },
  );
}
