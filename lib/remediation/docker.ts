import type { DockerFix } from "@/lib/checks/define-check";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import type { Remediation } from "@/lib/domain/result";
import { toYaml } from "./yaml";

const COMPOSE_SERVICE_LABEL = "com.docker.compose.service";

/** The Compose service that owns the container, else the container's own name. */
export function composeServiceName(facts: DockerContainerFacts): string {
  return facts.container.Config.Labels?.[COMPOSE_SERVICE_LABEL] ?? facts.name;
}

/** Compose YAML where a null key becomes `!reset null`: Compose's way to drop a key set by an earlier file. */
export function renderComposeSnippet(serviceName: string, keys: Record<string, unknown>): string {
  return toYaml({ services: { [serviceName]: keys } }, { nullText: "!reset null" });
}

export function renderDockerRemediation(facts: DockerContainerFacts, fix: DockerFix, summary: string): Remediation {
  const remediation: Remediation = { summary, dockerRun: { add: fix.add ?? [], remove: fix.remove ?? [] } };
  if (fix.compose && Object.keys(fix.compose).length > 0) {
    remediation.compose = renderComposeSnippet(composeServiceName(facts), fix.compose);
  }
  if (fix.dockerfile && fix.dockerfile.length > 0) remediation.dockerfile = [...fix.dockerfile];
  return remediation;
}
