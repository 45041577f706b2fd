import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { assertPortFree } from "../lib/cli/listener";

// `rampart serve` as a user runs it, beside the one global-setup started: its own data folder and port.
const ROOT = path.resolve(import.meta.dirname, "..");

interface Serve {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServe(dataDir: string, port: number): Serve {
  const env: NodeJS.ProcessEnv = { ...process.env, RAMPART_DATA_DIR: dataDir, DOCKER_HOST: "unix:///nonexistent.sock" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["lib/cli/bin.mjs", "serve", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (data: Buffer) => (output += data.toString()));
  child.stderr?.on("data", (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

test("kill -9 of rampart serve takes its web server along; the next start serves; a taken port fails without 'ready'", async () => {
  test.setTimeout(240_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rampart-serve-kill-"));
  const otherDir = await mkdtemp(path.join(os.tmpdir(), "rampart-serve-taken-"));
  const port = await freePort();
  try {
    const first = startServe(dataDir, port);
    await expect.poll(first.output, { timeout: 120_000 }).toContain("dashboard ready");
    const webChildren = childrenOf(first.process.pid!);
    expect(webChildren.length).toBeGreaterThan(0);

    first.process.kill("SIGKILL");
    await expect.poll(() => webChildren.filter(isRunning), { timeout: 10_000 }).toEqual([]);
    await expect(assertPortFree("127.0.0.1", port)).resolves.toBeUndefined();

    const second = startServe(dataDir, port);
    await expect.poll(second.output, { timeout: 120_000 }).toContain(`dashboard ready at http://127.0.0.1:${port}`);

    const third = startServe(otherDir, port);
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(third.output()).not.toContain("ready");

    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  } finally {
    for (const dir of [dataDir, otherDir]) await rm(dir, { recursive: true, force: true });
  }
});
