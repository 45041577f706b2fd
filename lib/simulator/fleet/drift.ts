import type { DockerFleet } from "./docker-fleet";
import { mutatePosture } from "./posture";
import { seededRandom, sha256Hex } from "./random";

export interface DriftOptions {
  /** Share of running containers changed, 0..1. */
  share: number;
  seed: number;
}

export interface DriftReport {
  /** `host/container` of every changed container. */
  changed: string[];
}

/**
 * Changes exactly round(share × running containers) containers, each by one security-relevant setting, as
 * `docker compose up` or a redeploy does: the container is recreated under its name, so its id and created time
 * change (`docker update` in place is what events and the daily full read are for). The specs change in place
 * (a 100,000-container fleet is not copied per poll). Same fleet and options, same changes.
 */
export function driftFleet(fleet: DockerFleet, options: DriftOptions): DriftReport {
  if (!(options.share >= 0 && options.share <= 1)) throw new Error("driftFleet: share must be between 0 and 1");
  const running = fleet.hosts.flatMap((host) =>
    host.containers.filter((c) => c.running).map((container) => ({ host, container })),
  );
  const want = Math.round(running.length * options.share);
  const random = seededRandom(options.seed);
  // Partial Fisher-Yates: the first `want` entries become a uniform sample without repeats.
  for (let i = 0; i < want; i++) {
    const j = i + Math.floor(random() * (running.length - i));
    const a = running[i];
    const b = running[j];
    if (!a || !b) break;
    running[i] = b;
    running[j] = a;
  }
  const changed: string[] = [];
  for (const { host, container } of running.slice(0, want)) {
    container.posture = mutatePosture(container.posture, random);
    container.revision += 1;
    container.id = sha256Hex(`${container.id}:${container.revision}`);
    container.created += 1;
    changed.push(`${host.name}/${container.name}`);
  }
  return { changed };
}
