import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SimulatedEngine } from "./server";

export interface SpawnOptions {
  hosts: number;
  containersPerHost: number;
  seed: number;
  socketDir: string;
  delayMs?: number;
}

export type ChildRequest = { type: "drift"; share: number; seed: number } | { type: "close" };
export type ChildReply = { type: "ready"; engines: SimulatedEngine[] } | { type: "drifted"; changed: number };

export interface SimulatorProcess {
  pid: number;
  engines: SimulatedEngine[];
  /** Changes `share` of the running containers; resolves with how many changed. */
  drift(share: number, seed: number): Promise<number>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("./child-main.ts", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../../../tsconfig.json", import.meta.url));

function nextReply<T extends ChildReply["type"]>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildReply) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<ChildReply, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the Docker simulator process exited (code ${code}) before answering`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Runs the simulator in its own process, so its CPU and memory are not counted as the pollers'. */
export async function spawnDockerSimulator(options: SpawnOptions): Promise<SimulatorProcess> {
  const child = fork(CHILD, [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await nextReply(child, "ready");
  return {
    pid: child.pid ?? 0,
    engines: ready.engines,
    async drift(share, seed) {
      const reply = nextReply(child, "drifted");
      child.send({ type: "drift", share, seed } satisfies ChildRequest);
      return (await reply).changed;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ type: "close" } satisfies ChildRequest);
      await exited;
    },
  };
}
