import type { CheckDefinition } from "@/lib/checks/define-check";
import type { ContainerFacts } from "@/lib/domain/facts";
import type { Remediation } from "@/lib/domain/result";
import { renderDockerRemediation } from "./docker";
import { renderKubernetesRemediation } from "./kubernetes";

export { applyStrategicMergePatch, MERGE_KEYS } from "./strategic-merge";
export { buildKubernetesPatch, podMetadataPath, renderKubectlPatch } from "./kubernetes";
export { composeServiceName, renderComposeSnippet } from "./docker";

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The fix for one failing result of `check` on this container, rendered for its platform. */
export function renderRemediation(check: CheckDefinition, facts: ContainerFacts): Remediation {
  const summary = oneLine(check.remediation.summary);
  if (facts.platform === "kubernetes") {
    const fix = check.remediation.kubernetes?.(facts);
    return fix ? renderKubernetesRemediation(facts, fix, summary) : { summary };
  }
  const fix = check.remediation.docker?.(facts);
  return fix ? renderDockerRemediation(facts, fix, summary) : { summary };
}
