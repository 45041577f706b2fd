import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { evaluateWorkload } from "@/lib/evaluate";
import { collectKubernetesWorkloads } from "./collect";

// The simulator runs in its own process so the figures are the collector's alone.
const BIN = fileURLToPath(new URL("../../cli/bin.mjs", import.meta.url));
const LIST_PATHS = [
  "/api/v1/namespaces",
  "/api/v1/serviceaccounts",
  "/apis/networking.k8s.io/v1/networkpolicies",
  "/apis/apps/v1/replicasets",
  "/apis/batch/v1/jobs",
  "/api/v1/pods",
  "/apis/apps/v1/deployments",
  "/apis/apps/v1/statefulsets",
  "/apis/apps/v1/daemonsets",
  "/apis/batch/v1/cronjobs",
];

interface Cluster {
  url: string;
  ca: string;
  token: string;
  child: ChildProcess;
  dir: string;
}

async function startCluster(pods: number, seed: number): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-bench-k8s-"));
  const kubeconfig = path.join(dir, "config");
  const child = spawn(
    process.execPath,
    [BIN, "simulator", "kubernetes", "--pods", String(pods), "--seed", String(seed), "--kubeconfig-out", kubeconfig],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("Kubernetes simulator at") && resolve());
  });
  const config = parse(await readFile(kubeconfig, "utf8"));
  return {
    url: config.clusters[0].cluster.server,
    ca: Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
    token: config.users[0].user.token,
    child,
    dir,
  };
}

function getJson(
  cluster: Cluster,
  agent: Agent,
  pathAndQuery: string,
): Promise<{ metadata?: { continue?: string }; items?: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(pathAndQuery, cluster.url),
      { agent, headers: { authorization: `Bearer ${cluster.token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** The floor: fetching and parsing the same pages, nothing else (run twice: the first warms the simulator). */
async function floor(cluster: Cluster): Promise<{ ms: number; cpuMs: number }> {
  const agent = new Agent({ ca: cluster.ca, keepAlive: true });
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const base of LIST_PATHS) {
    let token: string | undefined;
    do {
      const page = await getJson(
        cluster,
        agent,
        `${base}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      );
      token = page.metadata?.continue;
    } while (token);
  }
  agent.destroy();
  return { ms: performance.now() - start, cpuMs: cpuMsSince(cpu) };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function collector(
  cluster: Cluster,
  evaluate: boolean,
): Promise<{ ms: number; cpuMs: number; workloads: number; containers: number; peakHeapMb: number }> {
  const target = {
    name: "bench",
    platform: "kubernetes" as const,
    url: cluster.url,
    settings: {},
    credentials: { bearerToken: cluster.token, tlsCa: cluster.ca },
  };
  const report = { warnings: [], complete: true };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  const start = performance.now();
  const cpu = process.cpuUsage();
  let workloads = 0;
  let containers = 0;
  for await (const input of collectKubernetesWorkloads(target, report, new AbortController().signal)) {
    containers += evaluate ? evaluateWorkload(input).containers.length : input.containers.length;
    workloads += 1;
  }
  const ms = performance.now() - start;
  const cpuMs = cpuMsSince(cpu);
  clearInterval(sampler);
  return {
    ms,
    cpuMs,
    workloads,
    containers,
    peakHeapMb: Math.round(Math.max(peak, process.memoryUsage().heapUsed) / 1e6),
  };
}

/** `npm run bench -- kubernetes [--pods N] [--seed S]`: collect+evaluate against the simulator, and the fetch floor. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { pods: { type: "string" }, seed: { type: "string" } } });
  const pods = Number(values.pods ?? 20_000);
  const cluster = await startCluster(pods, Number(values.seed ?? randomBytes(2).readUInt16BE()));
  try {
    await floor(cluster);
    const base = await floor(cluster);
    const collectOnly = await collector(cluster, false);
    const result = await collector(cluster, true);
    const times = (r: { ms: number; cpuMs: number }) =>
      `${Math.round(r.ms)} ms (${(r.ms / base.ms).toFixed(2)}× the floor), CPU ${Math.round(r.cpuMs)} ms (${(r.cpuMs / base.cpuMs).toFixed(2)}×)`;
    const lines = [
      `pods ${pods}, workloads ${result.workloads}, containers ${result.containers}`,
      `floor (fetch + JSON.parse of the same pages): ${Math.round(base.ms)} ms, CPU ${Math.round(base.cpuMs)} ms`,
      `collector alone: ${times(collectOnly)}, peak heap ${collectOnly.peakHeapMb} MB`,
      `collector + evaluate: ${times(result)}, ${Math.round((pods / result.ms) * 1000)} pods/s`,
      `collector peak heap: ${result.peakHeapMb} MB, rss now ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  } finally {
    cluster.child.kill("SIGTERM");
    await rm(cluster.dir, { recursive: true, force: true });
  }
}
