// CLI benchmark: whole-process wall time of `rampart --help` and `rampart collect --docker … --once` against
// N real containers on a private dockerd (or the Docker simulator), compiled bundle against tsx.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  buildBaseImage,
  dockerdUnavailableReason,
  runContainer,
  startDockerd,
  type PrivateDockerd,
} from "@/e2e/support/dockerd";
import { spawnDockerSimulator } from "@/lib/simulator/docker";

const BIN = fileURLToPath(new URL("../cli/bin.mjs", import.meta.url));
// The baseline: `rampart collect` of 30 containers under tsx took 1.9 s, 14× faster than docker-bench
// §4+§5 on the same engine (docker-bench-security cannot be installed here to measure it again).
const DOCKER_BENCH_SECONDS = 1.9 * 14;

type Mode = "compiled" | "tsx";

interface Engine {
  url: string;
  kind: string;
  stop(): Promise<void>;
}

interface Figure {
  median: number;
  min: number;
  max: number;
  /** CPU (user + system) of the process and its children, median: unlike wall time, load on the machine barely moves it. */
  cpuMedian: number;
}

/** CPU ms of this process's children that have exited and been waited for (utime + stime + their own children). */
function reapedChildrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

/** Runs node with args to its end; resolves with wall and CPU time in ms, the exit code and stderr. */
export function timeChild(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const cpuBefore = reapedChildrenCpuMs();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ ms: number; cpuMs: number; code: number; stderr: string }>((resolve) =>
    child.once("close", (code) =>
      resolve({ ms: performance.now() - started, cpuMs: reapedChildrenCpuMs() - cpuBefore, code: code ?? 1, stderr }),
    ),
  );
}

function timeRampart(mode: Mode, args: string[]) {
  const env = { ...process.env };
  if (mode === "tsx") env.RAMPART_TSX = "1";
  else delete env.RAMPART_TSX;
  return timeChild([BIN, ...args], env);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `runs` runs of node with args. Runs that had to compile first (a source changed meanwhile) are run again; a
 * run that exits with 2 (usage, unreachable target) or falls back to tsx stops the benchmark.
 */
async function measure(args: string[], runs: number, mode: Mode = "compiled"): Promise<Figure> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let attempt = 0; times.length < runs && attempt < runs * 3; attempt++) {
    const { ms, cpuMs, code, stderr } =
      args[0] === BIN ? await timeRampart(mode, args.slice(1)) : await timeChild(args);
    if (code === 2 || stderr.includes("through tsx")) throw new Error(`${args.join(" ")} (${mode}): ${stderr}`);
    if (stderr.includes("compiling the CLI")) continue;
    times.push(ms);
    cpu.push(cpuMs);
  }
  if (times.length < runs) throw new Error(`${args.join(" ")}: sources kept changing; every run compiled`);
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), cpuMedian: median(cpu) };
}

async function startEngine(count: number, kind: string): Promise<Engine> {
  if (kind === "simulator") {
    const socketDir = await mkdtemp(path.join(tmpdir(), "rampart-bench-cli-"));
    const sim = await spawnDockerSimulator({ hosts: 1, containersPerHost: count, seed: 1, socketDir });
    const url = sim.engines[0]?.url;
    if (!url) throw new Error("the Docker simulator served no engine");
    return { url, kind: "Docker simulator", stop: async () => (await sim.close(), rm(socketDir, { recursive: true })) };
  }
  const engine: PrivateDockerd = await startDockerd();
  try {
    const image = await buildBaseImage(engine, "rampart-bench/base:1");
    const names = Array.from({ length: count }, (_, i) => `cli-${String(i).padStart(3, "0")}`);
    for (let i = 0; i < names.length; i += 8) {
      await Promise.all(names.slice(i, i + 8).map((name) => runContainer(engine, name, ["--memory=32m"], image)));
    }
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return { url: engine.url, kind: "private dockerd", stop: () => engine.stop() };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { containers: { type: "string" }, runs: { type: "string" }, engine: { type: "string" } },
  });
  const count = Number(values.containers ?? 30);
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write("bench cli: --containers and --runs must be positive integers\n");
    return 2;
  }
  const kind = values.engine ?? (dockerdUnavailableReason() ? "simulator" : "dockerd");
  if (kind !== "dockerd" && kind !== "simulator") {
    process.stderr.write('bench cli: --engine must be "dockerd" or "simulator"\n');
    return 2;
  }
  // Compiles the bundle if a source changed, so that no measured run includes the build.
  const warm = await timeRampart("compiled", ["--help"]);
  if (warm.code !== 0) throw new Error(`rampart --help failed: ${warm.stderr}`);
  const engine = await startEngine(count, kind);
  try {
    const collect = ["collect", "--docker", engine.url, "--once", "--format", "json"];
    await timeRampart("tsx", ["--help"]); // tsx keeps a transpile cache: measure it warm, as a developer sees it
    const figures = {
      nodeOnly: await measure(["-e", ""], runs),
      helpTsx: await measure([BIN, "--help"], runs, "tsx"),
      helpCompiled: await measure([BIN, "--help"], runs),
      collectTsx: await measure([BIN, ...collect], runs, "tsx"),
      collectCompiled: await measure([BIN, ...collect], runs),
    };
    const load = loadavg()[0]?.toFixed(1);
    console.log(`${count} containers on a ${engine.kind}, load average ${load} on ${cpus().length} cores`);
    console.log(`median of ${runs} runs, whole process: wall (min–max), CPU user + system`);
    for (const [label, key] of [
      ["node -e ''              ", "nodeOnly"],
      ["rampart --help       tsx", "helpTsx"],
      ["rampart --help  compiled", "helpCompiled"],
      ["rampart collect      tsx", "collectTsx"],
      ["rampart collect compiled", "collectCompiled"],
    ] as const) {
      const f = figures[key];
      console.log(
        `  ${label}   ${seconds(f.median)} (${seconds(f.min)}–${seconds(f.max)})  CPU ${seconds(f.cpuMedian)}`,
      );
    }
    const speedup = figures.collectTsx.median / figures.collectCompiled.median;
    const versusDockerBench = (DOCKER_BENCH_SECONDS * 1000) / figures.collectCompiled.median;
    console.log(`  collect: compiled is ${speedup.toFixed(1)}× faster than tsx`);
    console.log(
      `  vs docker-bench §4+§5 (${DOCKER_BENCH_SECONDS.toFixed(1)} s, the issue's baseline 1.9 s × 14): ` +
        `${versusDockerBench.toFixed(0)}× faster`,
    );
    console.log(JSON.stringify({ benchmark: "cli", containers: count, engine: kind, runs, load, ...figures }));
    return 0;
  } finally {
    await engine.stop();
  }
}
