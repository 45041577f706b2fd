import type { Collector, CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { DockerInfo } from "@/lib/domain/docker";
import type { DockerContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import { groupDockerWorkloads, normalizeDockerContainer } from "@/lib/normalize/docker";
import { createDockerClient } from "./client";
import { engineGet } from "./engine";
import { readDockerHost, type DockerHostSnapshot } from "./snapshot";

export { createDockerClient, describeDockerError } from "./client";
export { readDockerHost } from "./snapshot";

/** Facts keep Docker's raw shapes; a container that cannot be read is left out and the run marked partial. */
export function toFacts(
  snapshot: DockerHostSnapshot,
  source: string,
  report: CollectionReport,
): DockerContainerFacts[] {
  const facts: DockerContainerFacts[] = [];
  for (const item of snapshot.containers) {
    const raw = {
      container: item.container,
      image: item.imageInspect,
      history: item.imageHistory,
      info: snapshot.info,
      networks: snapshot.networks,
    };
    const normalized = normalizeDockerContainer(raw, { source });
    if (normalized.facts) {
      facts.push(normalized.facts);
      continue;
    }
    const where = normalized.errors.map((error) => [error.field, error.message].filter(Boolean).join(": ")).join("; ");
    report.warnings.push(`container ${item.container.Name.replace(/^\//, "")} could not be read: ${where}`);
    report.complete = false;
  }
  return facts;
}

async function* listWorkloads(
  target: TargetConnection,
  report: CollectionReport,
  signal: AbortSignal,
): AsyncIterable<WorkloadInput> {
  const { docker, warnings } = await createDockerClient(target);
  report.warnings.push(...warnings);
  const request = { docker, url: target.url, signal };
  const snapshot = await readDockerHost(request, report, target.settings.includeStopped ?? false);
  yield* groupDockerWorkloads(toFacts(snapshot, target.url, report));
}

async function testConnection(target: TargetConnection, signal: AbortSignal): Promise<string> {
  const { docker } = await createDockerClient(target);
  const info = await engineGet<DockerInfo>({ docker, url: target.url, signal }, "/info");
  return `Docker ${info.ServerVersion ?? "(unknown version)"} on ${info.Name ?? target.url}`;
}

export const dockerCollector: Collector = { platform: "docker", listWorkloads, testConnection };
