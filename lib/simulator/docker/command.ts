import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fleetSize, generateDockerFleet } from "@/lib/simulator/fleet";
import { startDockerSimulator } from "./server";

export const DOCKER_USAGE = `Usage: rampart simulator docker [--hosts N] [--containers C] [--seed S] [--socket-dir DIR | --tcp]

Serves N simulated Docker hosts (default 3) with C generated containers each (default 50) on the Engine API:
one unix socket per host in --socket-dir (default a new temporary folder), or one loopback TCP port per host
with --tcp (plain HTTP: add such targets with --insecure). Prints each host's address and runs until interrupted.`;

function count(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive whole number, got "${text}"`);
  return value;
}

/** `rampart simulator docker …`; resolves to the exit code once interrupted. */
export async function runDockerSimulatorCommand(argv: string[]): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        hosts: { type: "string" },
        containers: { type: "string" },
        seed: { type: "string" },
        "socket-dir": { type: "string" },
        tcp: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(DOCKER_USAGE + "\n");
      return 0;
    }
    if (values.tcp && values["socket-dir"]) throw new Error("give --socket-dir or --tcp, not both");
    options = {
      hosts: count("--hosts", values.hosts, 3),
      containersPerHost: count("--containers", values.containers, 50),
      seed: count("--seed", values.seed, 1),
      socketDir: values.tcp
        ? undefined
        : (values["socket-dir"] ?? (await mkdtemp(path.join(tmpdir(), "rampart-docker-sim-")))),
    };
  } catch (error) {
    process.stderr.write(`rampart simulator docker: ${(error as Error).message}\n\n${DOCKER_USAGE}\n`);
    return 2;
  }
  const fleet = generateDockerFleet({
    hosts: options.hosts,
    containersPerHost: options.containersPerHost,
    seed: options.seed,
  });
  const sim = await startDockerSimulator({
    hosts: fleet.hosts,
    ...(options.socketDir ? { socketDir: options.socketDir } : {}),
  });
  const size = fleetSize(fleet);
  process.stdout.write(
    `Docker simulator: ${size.hosts} hosts, ${size.containers} containers (${size.running} running)\n`,
  );
  for (const engine of sim.engines) process.stdout.write(`${engine.host} ${engine.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
  return 0;
}
