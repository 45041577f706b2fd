import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CHECKS } from "@/lib/checks/registry";
import type { InputError, WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { isSeverityAtLeast, SEVERITIES, type Severity } from "@/lib/domain/severity";
import { evaluateWorkload } from "@/lib/evaluate";
import { readInputs } from "@/lib/manifests/read";
import { buildScanOutput, isOpenFailure } from "../output/json";
import { renderSarif } from "../output/sarif";
import { renderTable } from "../output/table";

const FORMATS = ["table", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];
const LEVELS = ["baseline", "restricted"] as const;
type Level = (typeof LEVELS)[number];

export const USAGE = `Usage: rampart scan <files|dirs…> [options]

Evaluates Kubernetes manifests (YAML/JSON) and docker inspect JSON against the Rampart checklist.

Options:
  --format table|json|sarif              output format (default table)
  --fail-on critical|high|medium|low     exit 1 when a check of this severity or above fails (default low)
  --level baseline|restricted            also exit 1 when a workload fails this Pod Security level
  --output FILE                          write the report to FILE instead of stdout
  -h, --help                             show this help

Exit codes: 0 nothing failed at or above --fail-on, 1 failures, 2 usage or input error.
`;

export interface ScanOptions {
  paths: string[];
  format: Format;
  failOn: Severity;
  level?: Level;
  output?: string;
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
  return options;
}

/** `file#doc: field: message`, never a value from the input. */
export function formatInputError(error: InputError): string {
  const where =
    error.document !== undefined && !error.source.includes("#") ? `${error.source}#${error.document}` : error.source;
  return [where, error.field, error.message].filter((part) => part !== undefined && part !== "").join(": ");
}

function failsGate(evaluations: readonly WorkloadEvaluation[], options: ScanOptions): boolean {
  return evaluations.some(
    (evaluation) =>
      (options.level !== undefined && evaluation.podSecurity?.[options.level].allowed === false) ||
      evaluation.containers.some((container) =>
        container.checks.some((check) => isOpenFailure(check) && isSeverityAtLeast(check.severity, options.failOn)),
      ),
  );
}

function render(
  options: ScanOptions,
  inputs: readonly WorkloadInput[],
  evaluations: readonly WorkloadEvaluation[],
  read: { skipped: Record<string, number>; errors: InputError[] },
): string {
  const output = buildScanOutput(evaluations);
  if (options.format === "json") return JSON.stringify(output, null, 2) + "\n";
  if (options.format === "table")
    return renderTable(evaluations, { output, skipped: read.skipped, errors: read.errors.length });
  const workloads = evaluations.map((evaluation, i) => ({
    evaluation,
    containerLines: inputs[i]?.containers.map((container) => container.line) ?? [],
  }));
  return JSON.stringify(renderSarif(workloads, CHECKS), null, 2) + "\n";
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
  const read = await readInputs(options.paths);
  const evaluations = read.workloads.map((input) => evaluateWorkload(input));
  const report = render(options, read.workloads, evaluations, read);
  if (options.output === undefined) process.stdout.write(report);
  else if (!(await writeReport(options.output, report))) return 2;

  for (const error of read.errors) process.stderr.write(`${formatInputError(error)}\n`);
  const skipped = Object.entries(read.skipped);
  if (options.format !== "table" && skipped.length > 0) {
    process.stderr.write(`skipped kinds: ${skipped.map(([kind, n]) => `${kind} ${n}`).join(", ")}\n`);
  }
  if (read.errors.length > 0) return 2;
  return failsGate(evaluations, options) ? 1 : 0;
}
