// The server module, not the folder index: the index also exports the child-process spawner, which Next cannot bundle.
import { startDockerSimulator, type DockerSimulator } from "@/lib/simulator/docker/server";
import { driftFleet, generateDockerFleet, type DockerFleet } from "@/lib/simulator/fleet";
import {
  ALL_RULES,
  expandManifests,
  generateFleet,
  generateServerTls,
  startKubernetesSimulator,
  type KubernetesSimulator,
  type ServerTls,
} from "@/lib/simulator/kubernetes";
import type { TargetConnection } from "@/lib/collectors/types";
import { driftCluster } from "./cluster-drift";

export const DEMO_PREFIX = "demo-";
const TOKEN = "demo-reader";

/** A simulated target the demo polls once per simulated day, changing it in between. */
export interface DemoTarget {
  name: string;
  platform: "kubernetes" | "docker";
  connection(): TargetConnection;
  /** Moves the simulated fleet on by one day (seeded). */
  advance(day: number, at: Date): Promise<void>;
  close(): Promise<void>;
}

type Manifest = Record<string, unknown>;

/** One Kubernetes simulator per cluster, restarted on the same port with each day's objects. */
export async function startDemoCluster(input: {
  name: string;
  pods: number;
  seed: number;
  at: Date;
}): Promise<DemoTarget> {
  const manifests = generateFleet(input.pods, input.seed) as Manifest[];
  const tls: ServerTls = await generateServerTls();
  const tokens = { [TOKEN]: { user: "rampart-demo", grants: [{ rules: ALL_RULES }] } };
  const serve = (at: Date, port?: number) =>
    startKubernetesSimulator({
      objects: expandManifests(manifests, { now: at }).objects,
      tokens,
      tls,
      ...(port ? { port } : {}),
    });
  let sim: KubernetesSimulator = await serve(input.at);
  const port = Number(new URL(sim.url).port);
  return {
    name: input.name,
    platform: "kubernetes",
    connection: () => ({
      name: input.name,
      platform: "kubernetes",
      url: sim.url,
      settings: {},
      credentials: { bearerToken: TOKEN, tlsCa: tls.ca },
    }),
    async advance(day, at) {
      driftCluster(manifests, { share: 0.03, hardenBias: 0.7, seed: input.seed * 1000 + day });
      await sim.close();
      // Now and then the API server is down for a day, so run history shows the collector's real error.
      if ((day + input.seed) % 31 === 0) return;
      sim = await serve(at, port);
    },
    close: () => sim.close(),
  };
}

/** Docker hosts served by the Engine API simulator on loopback TCP, drifted in place. */
export async function startDemoDockerHosts(input: {
  hosts: number;
  containersPerHost: number;
  seed: number;
}): Promise<DemoTarget[]> {
  const fleet: DockerFleet = generateDockerFleet(input);
  const simulator: DockerSimulator = await startDockerSimulator({ hosts: fleet.hosts });
  let closed = false;
  let advancedDay = -1;
  return simulator.engines.map((engine, index) => ({
    name: `${DEMO_PREFIX}docker-${engine.host}`,
    platform: "docker" as const,
    connection: () => ({
      name: engine.host,
      platform: "docker" as const,
      url: engine.url,
      settings: { insecure: true },
      credentials: {},
    }),
    async advance(day) {
      if (advancedDay === day) return;
      advancedDay = day;
      driftFleet(fleet, { share: 0.02, seed: input.seed * 1000 + day });
    },
    async close() {
      if (index !== 0 || closed) return;
      closed = true;
      await simulator.close();
    },
  }));
}
