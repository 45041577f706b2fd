import { IMAGE_CATALOG, type ImageSpec } from "./images";
import { randomPosture, type Posture, type PostureName } from "./posture";
import { chance, intBetween, pick, seededRandom, sha256Hex, type Random } from "./random";

/** One container of a simulated host: its identity, image and the posture its owner chose. */
export interface ContainerSpec {
  id: string;
  name: string;
  image: ImageSpec;
  postureName: PostureName;
  posture: Posture;
  compose: { project: string; service: string; number: number } | null;
  network: string;
  running: boolean;
  created: number;
  /** Bumped by drift, so a re-poll can tell which containers changed. */
  revision: number;
}

export interface DockerHostSpec {
  name: string;
  id: string;
  containers: ContainerSpec[];
  /** User-defined networks (Compose `<project>_default`), besides bridge, host and none. */
  networks: string[];
}

export interface DockerFleet {
  seed: number;
  hosts: DockerHostSpec[];
}

export interface DockerFleetOptions {
  hosts: number;
  containersPerHost: number;
  seed: number;
  /** Share of containers created but not running (listed only with `all`). Default 0.05. */
  stoppedShare?: number;
}

const PROJECTS = ["shop", "billing", "search", "monitoring", "auth", "reports", "edge", "data"];
const SERVICES = ["api", "web", "worker", "db", "cache", "proxy", "cron", "exporter"];
const EPOCH = 1_785_000_000;

function service(random: Random, projects: string[]): ContainerSpec["compose"] {
  if (projects.length === 0 || !chance(random, 0.6)) return null;
  return { project: pick(random, projects), service: pick(random, SERVICES), number: 1 };
}

/** Compose replicas share project+service and get increasing numbers, as `docker compose up --scale` does. */
function uniqueName(compose: ContainerSpec["compose"], index: number, taken: Map<string, number>): string {
  if (!compose) return `app-${index}`;
  const key = `${compose.project}-${compose.service}`;
  const number = (taken.get(key) ?? 0) + 1;
  taken.set(key, number);
  compose.number = number;
  return `${key}-${number}`;
}

function generateHost(random: Random, seed: number, index: number, options: DockerFleetOptions): DockerHostSpec {
  const name = `host-${String(index + 1).padStart(4, "0")}`;
  const projects = PROJECTS.filter(() => chance(random, 0.4));
  const taken = new Map<string, number>();
  const containers: ContainerSpec[] = [];
  for (let i = 0; i < options.containersPerHost; i++) {
    const compose = service(random, projects);
    const { name: postureName, posture } = randomPosture(random);
    const network = posture.hostNetwork ? "host" : compose ? `${compose.project}_default` : "bridge";
    containers.push({
      id: sha256Hex(`container:${seed}:${name}:${i}`),
      name: uniqueName(compose, i, taken),
      image: pick(random, IMAGE_CATALOG),
      postureName,
      posture,
      compose,
      network,
      running: !chance(random, options.stoppedShare ?? 0.05),
      created: EPOCH + intBetween(random, 0, 90 * 86_400),
      revision: 0,
    });
  }
  return {
    name,
    id: sha256Hex(`host:${seed}:${name}`).slice(0, 36),
    containers,
    networks: projects.map((p) => `${p}_default`),
  };
}

/** H hosts × C containers with a realistic security mix; the same options always give the same fleet. */
export function generateDockerFleet(options: DockerFleetOptions): DockerFleet {
  const random = seededRandom(options.seed);
  const hosts = Array.from({ length: options.hosts }, (_, i) => generateHost(random, options.seed, i, options));
  return { seed: options.seed, hosts };
}

export function fleetSize(fleet: DockerFleet): { hosts: number; containers: number; running: number } {
  let containers = 0;
  let running = 0;
  for (const host of fleet.hosts) {
    containers += host.containers.length;
    running += host.containers.filter((c) => c.running).length;
  }
  return { hosts: fleet.hosts.length, containers, running };
}
