import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  ALL_RULES,
  expandManifests,
  generateFleet,
  loadManifests,
  renderKubeconfig,
  startKubernetesSimulator,
} from "@/lib/simulator/kubernetes";
import { DOCKER_USAGE, runDockerSimulatorCommand } from "@/lib/simulator/docker";

const USAGE = `Usage: rampart simulator kubernetes [--from <dir>]... [--pods N --seed S] [--listen 127.0.0.1:PORT]
                                    [--kubeconfig-out FILE] [--nodes N]

Serves a simulated Kubernetes API (HTTPS, own CA) with the objects of the manifests in --from, expanded as
controllers would, plus a generated fleet of N pods when --pods is given. Writes a kubeconfig with a
full-access token to --kubeconfig-out and runs until interrupted.`;

export async function run(argv: string[]): Promise<number> {
  const [platform, ...rest] = argv;
  if (platform === "--help" || platform === "-h") return help(0);
  if (platform === "docker") return runDockerSimulatorCommand(rest);
  if (platform !== "kubernetes") {
    process.stderr.write(
      `rampart simulator: expected "kubernetes" or "docker", got ${platform === undefined ? "nothing" : `"${platform}"`}\n\n`,
    );
    return help(2);
  }
  let values;
  try {
    values = parseArgs({
      args: rest,
      options: {
        from: { type: "string", multiple: true },
        pods: { type: "string" },
        seed: { type: "string" },
        nodes: { type: "string" },
        listen: { type: "string" },
        "kubeconfig-out": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`rampart simulator: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.help) return help(0);
  const listen = parseListen(values.listen ?? "127.0.0.1:0");
  const pods = parseCount("--pods", values.pods, 0);
  const seed = parseCount("--seed", values.seed, 1);
  const nodes = parseCount("--nodes", values.nodes, 3);
  const invalid = [listen, pods, seed, nodes].find((v): v is Error => v instanceof Error);
  if (invalid) {
    process.stderr.write(`rampart simulator: ${invalid.message}\n`);
    return 2;
  }
  const { objects: manifests, problems } = await loadManifests(values.from ?? []);
  for (const problem of problems) process.stderr.write(`warning: ${problem}\n`);
  const fleet = (pods as number) > 0 ? generateFleet(pods as number, seed as number) : [];
  const { objects, skipped } = expandManifests([...manifests, ...fleet], { nodes: nodes as number });
  if (skipped.length > 0)
    process.stderr.write(`skipped ${skipped.length} objects of kinds the simulator does not serve\n`);
  const token = randomBytes(24).toString("hex");
  const { host, port } = listen as { host: string; port: number };
  const sim = await startKubernetesSimulator({
    objects,
    tokens: { [token]: { user: "rampart-admin", grants: [{ rules: ALL_RULES }] } },
    host,
    port,
  });
  if (values["kubeconfig-out"]) {
    await writeFile(
      values["kubeconfig-out"],
      renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token, user: "rampart-admin" }),
      { mode: 0o600 },
    );
  }
  process.stdout.write(
    `Kubernetes simulator at ${sim.url}: ${sim.store.count("pods")} pods, ${sim.store.count("namespaces")} namespaces` +
      `${values["kubeconfig-out"] ? `; kubeconfig in ${values["kubeconfig-out"]}` : ""}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
  return 0;
}

function help(code: number): number {
  (code === 0 ? process.stdout : process.stderr).write(`${USAGE}\n\n${DOCKER_USAGE}\n`);
  return code;
}

function parseListen(text: string): { host: string; port: number } | Error {
  const match = text.match(/^\[?([^\]]*?)\]?:(\d+)$/);
  const port = Number(match?.[2]);
  if (!match || !match[1] || port > 65535) return new Error(`--listen must be HOST:PORT, got "${text}"`);
  return { host: match[1], port };
}

function parseCount(flag: string, text: string | undefined, fallback: number): number | Error {
  if (text === undefined) return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : new Error(`${flag} must be a whole number, got "${text}"`);
}
