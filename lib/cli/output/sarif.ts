import { createHash } from "node:crypto";
import path from "node:path";
import type { CheckDefinition } from "@/lib/checks/define-check";
import { PLATFORM_LABEL, PLATFORMS } from "@/lib/domain/facts";
import type { CheckResult, ContainerEvaluation, WorkloadEvaluation } from "@/lib/domain/result";
import type { Severity } from "@/lib/domain/severity";
import { toolVersion } from "./json";

// SARIF 2.1.0 as GitHub code scanning ingests it: one run, one rule per check, one result per failing check.

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/rampart-dev/rampart";

const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};

/** A workload's evaluation with the 1-based line, in its file, of what a container's result names. */
export interface SarifWorkload {
  evaluation: WorkloadEvaluation;
  lineOf: (containerIndex: number, fieldPath: string | undefined) => number | undefined;
}

function renderRule(check: CheckDefinition) {
  const fix = check.fixSummary;
  const judged = PLATFORMS.map((platform) => `${PLATFORM_LABEL[platform]}: ${check.judged[platform]}`).join("\n");
  const judgedMarkdown = PLATFORMS.map((platform) => `**${PLATFORM_LABEL[platform]}:** ${check.judged[platform]}`);
  return {
    id: check.id,
    name: check.title
      .replace(/[^A-Za-z0-9]+/g, " ")
      .trim()
      .replace(/ (\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.rationale },
    help: {
      text: `${check.rationale}\n\n${judged}\n\nRemediation: ${fix}`,
      markdown: [check.rationale, ...judgedMarkdown, `**Remediation:** ${fix}`].join("\n\n"),
    },
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: {
      "security-severity": SECURITY_SEVERITY[check.severity],
      tags: ["security", "container", check.category],
      precision: "very-high",
    },
  };
}

/** `file#doc` → the file relative to the working directory, with forward slashes. */
export function sourceUri(source: string, cwd = process.cwd()): string {
  const hash = source.lastIndexOf("#");
  const file = hash === -1 ? source : source.slice(0, hash);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join("/");
}

function fingerprint(evaluation: WorkloadEvaluation, container: ContainerEvaluation, check: CheckResult): string {
  const { platform, kind, namespace, name } = evaluation.workload;
  const key = [sourceUri(evaluation.source), platform, kind, namespace, name, container.name, check.checkId].join(
    "\u0000",
  );
  return createHash("sha256").update(key).digest("hex");
}

function renderResult(
  evaluation: WorkloadEvaluation,
  container: ContainerEvaluation,
  check: CheckResult,
  line: number,
  ruleIndex: number,
  baselineState: BaselineState | undefined,
) {
  const { kind, namespace, name } = evaluation.workload;
  const where = `${kind} ${namespace ? `${namespace}/` : ""}${name}, container ${container.name}`;
  const fix = check.remediation ? ` Fix: ${check.remediation.summary}` : "";
  return {
    ruleId: check.checkId,
    ruleIndex,
    level: LEVEL[check.severity],
    message: { text: `${where}: ${check.message}${check.fieldPath ? ` (${check.fieldPath})` : ""}.${fix}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: sourceUri(evaluation.source) }, region: { startLine: line } },
        logicalLocations: [{ fullyQualifiedName: `${where}`, kind: "object" }],
      },
    ],
    partialFingerprints: { "rampartFinding/v1": fingerprint(evaluation, container, check) },
    ...(baselineState ? { baselineState: baselineState(evaluation, container.name, check) } : {}),
    ...(check.excepted
      ? { suppressions: [{ kind: "external", status: "accepted", justification: check.excepted.reason }] }
      : {}),
  };
}

/** SARIF's baselineState of a result, when the scan compared against a baseline. */
export type BaselineState = (
  evaluation: WorkloadEvaluation,
  container: string,
  check: CheckResult,
) => "new" | "unchanged";

export function renderSarif(
  workloads: readonly SarifWorkload[],
  checks: readonly CheckDefinition[],
  baselineState?: BaselineState,
) {
  const ruleIndex = new Map(checks.map((check, index) => [check.id, index]));
  const results = workloads.flatMap(({ evaluation, lineOf }) =>
    evaluation.containers.flatMap((container, index) =>
      container.checks
        .filter((check) => check.status === "fail" && ruleIndex.has(check.checkId))
        .map((check) => {
          const line = Math.max(1, lineOf(index, check.fieldPath) ?? evaluation.line ?? 1);
          return renderResult(evaluation, container, check, line, ruleIndex.get(check.checkId) ?? 0, baselineState);
        }),
    ),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "rampart",
            version: toolVersion(),
            informationUri: INFORMATION_URI,
            rules: checks.map(renderRule),
          },
        },
        results,
      },
    ],
  };
}

export type SarifLog = ReturnType<typeof renderSarif>;
