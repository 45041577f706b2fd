import type { CheckDefinition } from "@/lib/checks/define-check";
import type { ContainerFacts } from "@/lib/domain/facts";
import type { Remediation } from "@/lib/domain/result";
import { renderDockerRemediation } from "./docker";
import { renderKubernetesRemediation } from "./kubernetes";

export { applyStrategicMergePatch, MERGE_KEYS } from "./strategic-merge";
export { buildKubernetesPatch, podMetadataPath, renderKubectlPatch } from "./kubernetes";
export { composeServiceName, renderComposeSnippet } from "./docker";

const summaries = new WeakMap<CheckDefinition, string>();

/** The check's fix summary on one line, worked out once per check. */
function summaryOf(check: CheckDefinition): string {
  let summary = summaries.get(check);
  if (summary === undefined) {
    summary = check.remediation.summary.replace(/\s+/g, " ").trim();
    summaries.set(check, summary);
  }
  return summary;
}

/** The fix for one failing result of `check` on this container, rendered for its platform. */
export function renderRemediation(check: CheckDefinition, facts: ContainerFacts): Remediation {
  const summary = summaryOf(check);
  if (facts.platform === "kubernetes") {
    const fix = check.remediation.kubernetes?.(facts);
    return fix ? renderKubernetesRemediation(facts, fix, summary) : { summary };
  }
  const fix = check.remediation.docker?.(facts);
  return fix ? renderDockerRemediation(facts, fix, summary) : { summary };
}
