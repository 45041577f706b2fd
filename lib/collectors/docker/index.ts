import type { Collector, CollectionReport, KnownListing, TargetConnection } from "@/lib/collectors/types";
import type { DockerInfo } from "@/lib/domain/docker";
import type { DockerContainerFacts, WorkloadInput } from "@/lib/domain/facts";
import { dockerWorkloadOf, groupDockerWorkloads, normalizeDockerContainer } from "@/lib/normalize/docker";
import { createDockerClient } from "./client";
import { describeEngine, engineKind, rootlessWarning, type EngineVersion } from "./engine-kind";
import { engineGet } from "./engine";
import { selectChanged } from "./select";
import { engineEpoch, listedVersion, mayKeep } from "./listed-version";
import { readDockerHost, type DockerContainerSummary, type DockerHostSnapshot } from "./snapshot";

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
      facts.push({ ...normalized.facts, listedVersion: item.listedVersion });
      continue;
    }
    const where = normalized.errors.map((error) => [error.field, error.message].filter(Boolean).join(": ")).join("; ");
    report.warnings.push(`container ${item.container.Name.replace(/^\//, "")} could not be read: ${where}`);
    report.complete = false;
  }
  return facts;
}

/** The listed name of a container: the one without a link alias (`/name`, not `/other/alias`). */
function listedName(summary: DockerContainerSummary): string {
  const names = summary.Names ?? [];
  return (names.find((n) => n.lastIndexOf("/") === 0) ?? names[0] ?? summary.Id).replace(/^\//, "");
}

/** Containers left unread, as workloads whose stored results stand. */
function keptWorkloads(kept: DockerContainerSummary[], source: string): WorkloadInput[] {
  const byKey = new Map<string, WorkloadInput>();
  for (const summary of kept) {
    const name = listedName(summary);
    const workload = dockerWorkloadOf(name, summary.Labels);
    const key = JSON.stringify([workload.kind, workload.namespace, workload.name]);
    const input = byKey.get(key) ?? { workload, source, labels: {}, containers: [], keptContainers: [] };
    input.keptContainers?.push(name);
    byKey.set(key, input);
  }
  return [...byKey.values()];
}

/**
 * Reads the containers whose listed version the store does not know (and their Compose siblings, as a workload
 * is judged whole); every container when the engine's inspect epoch differs from the last full read's.
 */
async function* listWorkloads(
  target: TargetConnection,
  report: CollectionReport,
  signal: AbortSignal,
  known?: KnownListing,
): AsyncIterable<WorkloadInput> {
  const { docker, warnings } = await createDockerClient(target);
  report.warnings.push(...warnings);
  const request = { docker, url: target.url, signal };
  let kept: DockerContainerSummary[] = [];
  const snapshot = await readDockerHost(request, report, target.settings.includeStopped ?? false, (listed, engine) => {
    const epoch = known && engineEpoch(known.epoch, engine.info, engine.networks);
    if (!mayKeep(known, epoch)) {
      if (epoch) report.inspectedEpoch = epoch;
      return listed;
    }
    const changed = new Set(listed.filter((s) => !known.listedVersions.has(listedVersion(s))).map((s) => s.Id));
    const read = selectChanged(changed)(listed);
    const reading = new Set(read.map((s) => s.Id));
    kept = listed.filter((s) => !reading.has(s.Id));
    return read;
  });
  const kind = engineKind(snapshot.info, {});
  if (kind.rootless) report.warnings.push(rootlessWarning(kind));
  yield* groupDockerWorkloads(toFacts(snapshot, target.url, report));
  yield* keptWorkloads(kept, target.url);
}

async function testConnection(target: TargetConnection, signal: AbortSignal): Promise<string> {
  const { docker } = await createDockerClient(target);
  const request = { docker, url: target.url, signal };
  const info = await engineGet<DockerInfo>(request, "/info");
  const version = await engineGet<EngineVersion>(request, "/version");
  return describeEngine(engineKind(info, version), info.Name ?? target.url);
}

export const dockerCollector: Collector = { platform: "docker", listWorkloads, testConnection };
