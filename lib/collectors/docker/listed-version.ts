import { createHash } from "node:crypto";
import type { KnownListing } from "@/lib/collectors/types";
import type { DockerInfo, DockerNetwork } from "@/lib/domain/docker";
import { dockerHostProjection } from "@/lib/evaluate/facts-hash";
import type { DockerContainerSummary } from "./snapshot";

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Hash of everything `/containers/json` shows of a container except `Status` (its uptime text): id, names,
 * image and image id, created, state, labels, ports, mounts, network settings. Recreating a container (what
 * Compose and `docker run` do for any change of its configuration) gives a new id and created time; a restart or
 * stop changes its state. `docker update` (limits, restart policy) changes nothing here: the `update` event
 * re-reads it while the target is followed, and the daily full read catches it otherwise.
 */
export function listedVersion(summary: DockerContainerSummary): string {
  const { Status: _status, ...listed } = summary;
  return sha256(JSON.stringify(listed));
}

/** The inspect epoch of one engine: the target's epoch and the engine-wide facts every container's hash covers. */
export function engineEpoch(epoch: string, info: DockerInfo, networks: DockerNetwork[]): string {
  return sha256(JSON.stringify([epoch, dockerHostProjection(info, networks)]));
}

/** Whether a poll under this engine epoch may leave containers with a known listed version unread. */
export function mayKeep(known: KnownListing | undefined, epoch: string | undefined): known is KnownListing {
  return known !== undefined && epoch !== undefined && known.inspectedEpoch === epoch;
}
