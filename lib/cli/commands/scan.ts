import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CHECKS } from "@/lib/checks/registry";
import { lineOfField, type InputError, type WorkloadInput } from "@/lib/domain/facts";
import type { CheckResult, WorkloadEvaluation } from "@/lib/domain/result";
import { isSeverityAtLeast, SEVERITIES, type Severity } from "@/lib/domain/severity";
import { evaluateWorkload } from "@/lib/evaluate";
import { readInputs } from "@/lib/manifests/read";
import { indexReport, readReportFiles, ReportIndex } from "@/lib/reports";
import { isInBaseline, isLevelFailureInBaseline, readBaseline, type Baseline } from "../output/baseline";
import { buildScanOutput, isOpenFailure } from "../output/json";
import { renderSarif } from "../output/sarif";
import { renderTable } from "../output/table";

const FORMATS = ["table", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];
const LEVELS = ["baseline", "restricted"] as const;
type Level = (typeof LEVELS)[number];

export const USAGE = `Usage: rampart scan <files|dirs…> [options]

Evaluates Kubernetes manifests (YAML/JSON), docker inspect JSON, Compose files and Dockerfiles against the
Rampart checklist.

Options:
  --format table|json|sarif              output format (default table)
  --fail-on critical|high|medium|low     exit 1 when a check of this severity or above fails (default low)
  --level baseline|restricted            also exit 1 when a workload fails this Pod Security level
  --output FILE                          write the report to FILE instead of stdout
  --baseline FILE                        a previous --format json output: exit 1 only on failures not in it
  --reports FILE|DIR                     scanner reports (Trivy, Grype, CycloneDX, trivy-operator, VEX) that checks
                                         9-11 judge, matched to images by digest; repeat for several
  --max-report-age DAYS                  a report older than this fails checks 9 and 10 (default 7)
  -h, --help                             show this help

Exit codes: 0 nothing failed at or above --fail-on, 1 failures, 2 usage or input error.
`;

export interface ScanOptions {
  paths: string[];
  format: Format;
  failOn: Severity;
  level?: Level;
  output?: string;
  baseline?: string;
  reports?: string[];
  maxReportAgeDays?: number;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined, flag: string): T | undefined {
  if (value === undefined) return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`${flag} must be one of ${values.join(", ")} (got "${value}")`);
}

/** Parses scan's argv; throws with a message for people on bad usage, returns null for --help. */
export function parseScanArgs(argv: string[]): ScanOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      "fail-on": { type: "string" },
      level: { type: "string" },
      output: { type: "string", short: "o" },
      baseline: { type: "string" },
      reports: { type: "string", multiple: true },
      "max-report-age": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new Error("no files or directories given");
  const options: ScanOptions = {
    paths: positionals,
    format: oneOf(FORMATS, values.format, "--format") ?? "table",
    failOn: oneOf(SEVERITIES, values["fail-on"], "--fail-on") ?? "low",
  };
  const level = oneOf(LEVELS, values.level, "--level");
  if (level) options.level = level;
  if (values.output !== undefined) options.output = values.output;
  if (values.baseline !== undefined) options.baseline = values.baseline;
  if (values.reports?.length) options.reports = values.reports;
  const maxAge = values["max-report-age"];
  if (maxAge !== undefined) {
    const days = Number(maxAge);
    if (!Number.isInteger(days) || days < 1)
      throw new Error(`--max-report-age must be a positive whole number of days (got "${maxAge}")`);
    options.maxReportAgeDays = days;
  }
  return options;
}

/** Reads the reports and fills every container's report facts offline, the way a collection run does. */
async function joinReports(workloads: WorkloadInput[], paths: string[], maxReportAgeDays: number | undefined) {
  const { reports, errors } = await readReportFiles(paths);
  const index = new ReportIndex({
    reports: reports
      .filter((r) => r.report.scanned.vulnerabilities || r.report.scanned.secrets)
      .map((r) => indexReport(r.report)),
    statements: reports.flatMap((r) => r.report.statements),
    exceptions: [],
    anyVulnerabilityReport: reports.some((r) => r.report.scanned.vulnerabilities),
  });
  for (const input of workloads) {
    index.attach(input);
    if (maxReportAgeDays !== undefined) for (const facts of input.containers) facts.maxReportAgeDays = maxReportAgeDays;
  }
  return errors;
}

/** `file#doc: field: message`, never a value from the input. */
export function formatInputError(error: InputError): string {
  const where =
    error.document !== undefined && !error.source.includes("#") ? `${error.source}#${error.document}` : error.source;
  return [where, error.field, error.message].filter((part) => part !== undefined && part !== "").join(": ");
}

interface Gate {
  failed: number;
  inBaseline: number;
}

/** Counts what fails the gate (open failures at or above --fail-on, --level verdicts) and what the baseline held. */
function countGate(
  evaluations: readonly WorkloadEvaluation[],
  options: ScanOptions,
  baseline: Baseline | undefined,
): Gate {
  const gate: Gate = { failed: 0, inBaseline: 0 };
  const count = (known: boolean) => (known ? gate.inBaseline++ : gate.failed++);
  for (const evaluation of evaluations) {
    const level = options.level;
    if (level !== undefined && evaluation.podSecurity?.[level].allowed === false) {
      count(baseline !== undefined && isLevelFailureInBaseline(baseline, evaluation, level));
    }
    for (const container of evaluation.containers) {
      for (const check of container.checks) {
        if (!isOpenFailure(check) || !isSeverityAtLeast(check.severity, options.failOn)) continue;
        count(baseline !== undefined && isInBaseline(baseline, evaluation, container.name, check));
      }
    }
  }
  return gate;
}

function render(
  options: ScanOptions,
  inputs: readonly WorkloadInput[],
  evaluations: readonly WorkloadEvaluation[],
  read: { skipped: Record<string, number>; errors: InputError[] },
  baseline: Baseline | undefined,
): string {
  const output = buildScanOutput(evaluations);
  if (options.format === "json") return JSON.stringify(output, null, 2) + "\n";
  if (options.format === "table")
    return renderTable(evaluations, { output, skipped: read.skipped, errors: read.errors.length });
  const workloads = evaluations.map((evaluation, i) => ({
    evaluation,
    lineOf: (container: number, fieldPath: string | undefined) => {
      const facts = inputs[i]?.containers[container];
      return facts && lineOfField(facts, fieldPath);
    },
  }));
  const baselineState = baseline
    ? (evaluation: WorkloadEvaluation, container: string, check: CheckResult) =>
        isInBaseline(baseline, evaluation, container, check) ? ("unchanged" as const) : ("new" as const)
    : undefined;
  return JSON.stringify(renderSarif(workloads, CHECKS, baselineState), null, 2) + "\n";
}

async function writeReport(file: string, report: string): Promise<boolean> {
  try {
    await writeFile(file, report);
    return true;
  } catch (error) {
    process.stderr.write(`rampart scan: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}\n`);
    return false;
  }
}

export async function run(argv: string[]): Promise<number> {
  let options: ScanOptions | null;
  try {
    options = parseScanArgs(argv);
  } catch (error) {
    process.stderr.write(`rampart scan: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  let baseline: Baseline | undefined;
  try {
    if (options.baseline !== undefined) baseline = await readBaseline(options.baseline);
  } catch (error) {
    process.stderr.write(`rampart scan: --baseline ${(error as Error).message}\n`);
    return 2;
  }
  const read = await readInputs(options.paths);
  const reportErrors = options.reports
    ? await joinReports(read.workloads, options.reports, options.maxReportAgeDays)
    : [];
  const evaluations = read.workloads.map((input) => evaluateWorkload(input));
  const report = render(options, read.workloads, evaluations, read, baseline);
  if (options.output === undefined) process.stdout.write(report);
  else if (!(await writeReport(options.output, report))) return 2;

  for (const warning of read.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const error of read.errors) process.stderr.write(`${formatInputError(error)}\n`);
  for (const error of reportErrors) process.stderr.write(`${error.message}\n`);
  const skipped = Object.entries(read.skipped);
  if (options.format !== "table" && skipped.length > 0) {
    process.stderr.write(`skipped kinds: ${skipped.map(([kind, n]) => `${kind} ${n}`).join(", ")}\n`);
  }
  const gate = countGate(evaluations, options, baseline);
  if (baseline) {
    process.stderr.write(`baseline: ${gate.inBaseline} failing in the baseline too (ignored), ${gate.failed} new\n`);
  }
  if (read.errors.length > 0 || reportErrors.length > 0) return 2;
  return gate.failed > 0 ? 1 : 0;
}
