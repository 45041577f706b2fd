import { mkdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { DockerHostSpec } from "@/lib/simulator/fleet";
import { engineHandler } from "./routes";

export interface DockerSimulatorOptions {
  hosts: DockerHostSpec[];
  /** Serve each host on `<socketDir>/<host>.sock`; without it, each host on its own loopback TCP port. */
  socketDir?: string;
  /** Added before every answer, to make polls last (tests that kill a worker mid-run). */
  delayMs?: number;
}

export interface SimulatedEngine {
  host: string;
  /** `unix:///…/host-0001.sock` or `tcp://127.0.0.1:port` (plain: polled with settings.insecure). */
  url: string;
}

export interface DockerSimulator {
  engines: SimulatedEngine[];
  close(): Promise<void>;
}

function listen(server: Server, target: string | number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = () => {
      server.off("error", reject);
      resolve();
    };
    if (typeof target === "string") server.listen(target, done);
    else server.listen(target, "127.0.0.1", done);
  });
}

async function serveHost(
  host: DockerHostSpec,
  options: DockerSimulatorOptions,
): Promise<{ server: Server; url: string }> {
  const { socketDir } = options;
  const server = createServer({ keepAliveTimeout: 30_000 }, engineHandler(host, { delayMs: options.delayMs ?? 0 }));
  if (socketDir) {
    const socket = path.join(socketDir, `${host.name}.sock`);
    await rm(socket, { force: true });
    await listen(server, socket);
    return { server, url: `unix://${socket}` };
  }
  await listen(server, 0);
  return { server, url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One Engine API server per simulated host; the hosts' containers can be drifted in place between polls. */
export async function startDockerSimulator(options: DockerSimulatorOptions): Promise<DockerSimulator> {
  if (options.socketDir) await mkdir(options.socketDir, { recursive: true });
  const started: { server: Server; url: string; host: string }[] = [];
  try {
    for (const host of options.hosts) started.push({ ...(await serveHost(host, options)), host: host.name });
  } catch (error) {
    await Promise.all(started.map((s) => closeServer(s.server)));
    throw error;
  }
  return {
    engines: started.map(({ host, url }) => ({ host, url })),
    close: () => Promise.all(started.map((s) => closeServer(s.server))).then(() => undefined),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
