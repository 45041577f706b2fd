import type { DockerContainerSummary } from "./snapshot";

const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";

function composeKey(summary: DockerContainerSummary): string | undefined {
  const project = summary.Labels?.[COMPOSE_PROJECT];
  const service = summary.Labels?.[COMPOSE_SERVICE];
  return project && service ? `${project}/${service}` : undefined;
}

/** The named containers and the other replicas of their Compose services (a workload is judged whole). */
export function selectChanged(ids: ReadonlySet<string>) {
  return (listed: DockerContainerSummary[]): DockerContainerSummary[] => {
    const services = new Set(
      listed
        .filter((c) => ids.has(c.Id))
        .map(composeKey)
        .filter(Boolean),
    );
    return listed.filter((c) => ids.has(c.Id) || services.has(composeKey(c)));
  };
}
