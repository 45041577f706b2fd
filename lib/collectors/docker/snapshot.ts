import type { CollectionReport } from "@/lib/collectors/types";
import type { DockerContainer, DockerHistoryEntry, DockerImage, DockerInfo, DockerNetwork } from "@/lib/domain/docker";
import { isNotFound } from "./client";
import { engineGet, type EngineRequest } from "./engine";
import { mapWithConcurrency } from "./pool";

export const INSPECT_CONCURRENCY = 8;

/** One container as the Engine API returned it, with its image's config and history. */
export interface DockerContainerSnapshot {
  container: DockerContainer;
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
  id: string,
  loadImage: (imageId: string) => Promise<ImageData>,
): Promise<DockerContainerSnapshot | null> {
  let container: DockerContainer;
  try {
    container = await engineGet<DockerContainer>(request, `/containers/${id}/json`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    report.warnings.push(`container ${id.slice(0, 12)} disappeared between list and inspect; skipped`);
    return null;
  }
  return { container, ...(await loadImage(container.Image)) };
}

/** A container as `/containers/json` lists it (the fields Rampart reads). */
export interface DockerContainerSummary {
  Id: string;
  Labels?: Record<string, string> | null;
}

/**
 * Reads everything the Docker checks need from one engine; decides nothing. `select` narrows the listed containers
 * to those an event named (and their Compose siblings) before anything is inspected.
 */
export async function readDockerHost(
  request: EngineRequest,
  report: CollectionReport,
  includeStopped = false,
  select?: (listed: DockerContainerSummary[]) => DockerContainerSummary[],
): Promise<DockerHostSnapshot> {
  const info = await engineGet<DockerInfo>(request, "/info");
  const networks = await engineGet<DockerNetwork[]>(request, "/networks");
  const all = await engineGet<DockerContainerSummary[]>(
    request,
    "/containers/json",
    includeStopped ? { all: "true" } : {},
  );
  const listed = select ? select(all) : all;
  const loadImage = imageLoader(request, report);
  const inspected = await mapWithConcurrency(listed, INSPECT_CONCURRENCY, (summary) =>
    inspectContainer(request, report, summary.Id, loadImage),
  );
  return { info, networks, containers: inspected.filter((snapshot) => snapshot !== null) };
}
