import type { CheckDefinition, FixByPlatform } from "@/lib/checks/define-check";
import type { ContainerFacts, FactsOf, Platform } from "@/lib/domain/facts";
import type { Remediation, WorkloadFix } from "@/lib/domain/result";
import type { DockerContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import { combineDockerFixes, combineKubernetesFixes, type ContainerFix } from "./combined";
import { runSpecOf } from "./docker-run";
import { renderDockerRemediation } from "./docker";
import { renderDockerfileRemediation } from "./dockerfile";
import { renderKubernetesRemediation } from "./kubernetes";

export { applyStrategicMergePatch, mergeStrategicPatches, MERGE_KEYS } from "./strategic-merge";
export { combineDockerFixes, combineKubernetesFixes, type ContainerFix, type ContainerRun } from "./combined";
export { runSpecOf, type RunSpec } from "./docker-run";
export { buildKubernetesPatch, podMetadataPath, renderKubectlPatch } from "./kubernetes";
export { composeServiceName, renderComposeSnippet } from "./docker";

type Renderer<P extends Platform> = (facts: FactsOf<P>, fix: FixByPlatform[P], summary: string) => Remediation;

/** One renderer per platform: a new platform does not compile until it has one. */
const RENDERERS: { [P in Platform]: Renderer<P> } = {
  kubernetes: renderKubernetesRemediation,
  docker: renderDockerRemediation,
  dockerfile: renderDockerfileRemediation,
};

const summaries = new WeakMap<CheckDefinition, string>();

/** The check's fix summary on one line, worked out once per check. */
function summaryOf(check: CheckDefinition): string {
  let summary = summaries.get(check);
  if (summary === undefined) {
    summary = check.fixSummary.replace(/\s+/g, " ").trim();
    summaries.set(check, summary);
  }
  return summary;
}

function renderOn<P extends Platform>(check: CheckDefinition, platform: P, facts: FactsOf<P>): Remediation {
  const summary = summaryOf(check);
  const fix = check.platforms[platform]?.fix?.(facts);
  return fix ? RENDERERS[platform](facts, fix, summary) : { summary };
}

/** The fix for one failing result of `check` on this container, rendered for its platform. */
export function renderRemediation(check: CheckDefinition, facts: ContainerFacts): Remediation {
  return renderOn(check, facts.platform, facts);
}

/** The workload's combined fix from its failing results' fixes, with the object or inspect it was judged on. */
export function combineFixes(input: WorkloadInput, fixes: readonly ContainerFix[]): WorkloadFix | undefined {
  if (input.workload.platform === "kubernetes") return combineKubernetesFixes(input.workload, fixes, input.object);
  const containers = input.containers.filter((f): f is DockerContainerFacts => f.platform === "docker");
  return combineDockerFixes(
    containers.map((facts) => ({ container: facts.name, spec: runSpecOf(facts) })),
    fixes,
  );
}
