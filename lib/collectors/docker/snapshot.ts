import type { CollectionReport } from "@/lib/collectors/types";
import type { DockerContainer, DockerHistoryEntry, DockerImage, DockerInfo, DockerNetwork } from "@/lib/domain/docker";
import { isNotFound } from "./client";
import { engineGet, type EngineRequest } from "./engine";
import { listedVersion } from "./listed-version";
import { mapWithConcurrency } from "./pool";

export const INSPECT_CONCURRENCY = 8;

/** One container as the Engine API returned it, with its image's config and history. */
export interface DockerContainerSnapshot {
  container: DockerContainer;
  /** Of its `/containers/json` entry (listed-version.ts). */
  listedVersion: string;
  imageInspect?: DockerImage;
  imageHistory?: DockerHistoryEntry[];
}

export interface DockerHostSnapshot {
  info: DockerInfo;
  networks: DockerNetwork[];
  containers: DockerContainerSnapshot[];
}

interface ImageData {
  imageInspect?: DockerImage;
  imageHistory?: DockerHistoryEntry[];
}

/** Reads image config and history once per image id within the run; a removed image is a warning. */
function imageLoader(request: EngineRequest, report: CollectionReport): (imageId: string) => Promise<ImageData> {
  const cache = new Map<string, Promise<ImageData>>();
  const load = async (imageId: string): Promise<ImageData> => {
    try {
      const imageInspect = await engineGet<DockerImage>(request, `/images/${imageId}/json`);
      const imageHistory = await engineGet<DockerHistoryEntry[]>(request, `/images/${imageId}/history`);
      return { imageInspect, imageHistory };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      report.warnings.push(`image ${imageId} was removed while it was read; its image checks are not evaluated`);
      return {};
    }
  };
  return (imageId) => {
    let pending = cache.get(imageId);
    if (!pending) cache.set(imageId, (pending = load(imageId)));
    return pending;
  };
}

async function inspectContainer(
  request: EngineRequest,
  report: CollectionReport,
  summary: DockerContainerSummary,
  loadImage: (imageId: string) => Promise<ImageData>,
): Promise<DockerContainerSnapshot | null> {
  let container: DockerContainer;
  try {
    container = await engineGet<DockerContainer>(request, `/containers/${summary.Id}/json`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    report.warnings.push(`container ${summary.Id.slice(0, 12)} disappeared between list and inspect; skipped`);
    return null;
  }
  return { container, listedVersion: listedVersion(summary), ...(await loadImage(container.Image)) };
}

/** A container as `/containers/json` lists it (the fields Rampart reads). */
export interface DockerContainerSummary {
  Id: string;
  Names?: string[];
  Labels?: Record<string, string> | null;
  /** Uptime text ("Up 5 minutes"): the one listed field that moves by itself. */
  Status?: string;
  [field: string]: unknown;
}

/** The engine-wide facts read before the list. */
export interface DockerEngineFacts {
  info: DockerInfo;
  networks: DockerNetwork[];
}

/**
 * Reads everything the Docker checks need from one engine; decides nothing. `select` narrows the listed containers
 * to those to read (an event named, or whose listed version changed, and their Compose siblings) before anything is
 * inspected.
 */
export async function readDockerHost(
  request: EngineRequest,
  report: CollectionReport,
  includeStopped = false,
  select?: (listed: DockerContainerSummary[], engine: DockerEngineFacts) => DockerContainerSummary[],
): Promise<DockerHostSnapshot> {
  const info = await engineGet<DockerInfo>(request, "/info");
  const networks = await engineGet<DockerNetwork[]>(request, "/networks");
  const all = await engineGet<DockerContainerSummary[]>(
    request,
    "/containers/json",
    includeStopped ? { all: "true" } : {},
  );
  const listed = select ? select(all, { info, networks }) : all;
  const loadImage = imageLoader(request, report);
  const inspected = await mapWithConcurrency(listed, INSPECT_CONCURRENCY, (summary) =>
    inspectContainer(request, report, summary, loadImage),
  );
  return { info, networks, containers: inspected.filter((snapshot) => snapshot !== null) };
}
