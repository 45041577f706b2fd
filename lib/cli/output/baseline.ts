import { open } from "node:fs/promises";
import type { CheckResult, WorkloadEvaluation } from "@/lib/domain/result";
import { isOpenFailure } from "./json";
import { scanOutputSchema } from "./schema";
import { sourceUri } from "./sarif";

export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/**
 * The open failures and Pod Security level failures of a previous `--format json` output. A finding is its file
 * (without the document index, which shifts when documents are added above it), workload, container and check;
 * the message is left out so rewording a check does not make every old finding new.
 */
export interface Baseline {
  findings: Set<string>;
  levelFailures: Set<string>;
}

interface WorkloadKey {
  platform: string;
  source: string;
  workload: { kind: string; namespace: string; name: string };
}

function workloadKey({ platform, source, workload }: WorkloadKey): string {
  return [sourceUri(source), platform, workload.kind, workload.namespace, workload.name].join("\u0000");
}

function findingKey(workload: WorkloadKey, container: string, checkId: string): string {
  return [workloadKey(workload), container, checkId].join("\u0000");
}

/** Reads a baseline file; throws with a message for people (never a value from the file) when it cannot be used. */
export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    const handle = await open(file, "r");
    try {
      const { size, isFile } = await handle.stat().then((stat) => ({ size: stat.size, isFile: stat.isFile() }));
      if (!isFile) throw new Error("not a regular file");
      if (size > MAX_BASELINE_BYTES) throw new Error(`larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB`);
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read the baseline (${code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: the baseline is not JSON (expected the output of rampart scan --format json)`);
  }
  const parsed = scanOutputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "document";
    throw new Error(`${file}: ${where}: ${issue?.message ?? "invalid"} (expected rampart scan --format json output)`);
  }
  const baseline: Baseline = { findings: new Set(), levelFailures: new Set() };
  for (const result of parsed.data.results) {
    for (const level of ["baseline", "restricted"] as const) {
      if (result.podSecurity?.[level].allowed === false)
        baseline.levelFailures.add(`${level}\u0000${workloadKey(result)}`);
    }
    for (const container of result.containers) {
      for (const check of container.checks) {
        if (isOpenFailure(check)) baseline.findings.add(findingKey(result, container.name, check.id));
      }
    }
  }
  return baseline;
}

function asKey(evaluation: WorkloadEvaluation): WorkloadKey {
  return { platform: evaluation.workload.platform, source: evaluation.source, workload: evaluation.workload };
}

export function isInBaseline(
  baseline: Baseline,
  evaluation: WorkloadEvaluation,
  container: string,
  check: Pick<CheckResult, "checkId">,
): boolean {
  return baseline.findings.has(findingKey(asKey(evaluation), container, check.checkId));
}

export function isLevelFailureInBaseline(
  baseline: Baseline,
  evaluation: WorkloadEvaluation,
  level: "baseline" | "restricted",
): boolean {
  return baseline.levelFailures.has(`${level}\u0000${workloadKey(asKey(evaluation))}`);
}
