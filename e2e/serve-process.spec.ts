import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
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
  delete env.RAMPART_SECRET_KEY;
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

function rampart(dataDir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, RAMPART_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.RAMPART_SECRET_KEY;
  const result = spawnSync(process.execPath, ["lib/cli/bin.mjs", ...args], { cwd: ROOT, env, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

test("kill -9 of rampart serve takes its web server along; the next start serves; a taken port fails without 'ready'; rotate-key waits for the server to stop", async () => {
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
    const isPortFree = () =>
      assertPortFree("127.0.0.1", port).then(
        () => true,
        () => false,
      );
    await expect.poll(isPortFree, { timeout: 10_000 }).toBe(true);

    const second = startServe(dataDir, port);
    await expect.poll(second.output, { timeout: 120_000 }).toContain(`dashboard ready at http://127.0.0.1:${port}`);

    const third = startServe(otherDir, port);
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(third.output()).not.toContain("ready");

    // Key rotation beside the running server is refused and leaves the key file alone; once it stopped, it runs.
    const keyFile = path.join(dataDir, "secret.key");
    const keyBefore = `${randomBytes(32).toString("base64")}\n`;
    writeFileSync(keyFile, keyBefore, { mode: 0o600 });
    const refused = rampart(dataDir, ["rotate-key"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`is in use by process ${second.process.pid}`);
    expect(readFileSync(keyFile, "utf8")).toBe(keyBefore);

    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    const rotated = rampart(dataDir, ["rotate-key"]);
    expect(rotated.stdout).toContain("rampart rotate-key: re-encrypted");
    expect(rotated.status).toBe(0);
    expect(readFileSync(keyFile, "utf8")).not.toBe(keyBefore);
  } finally {
    for (const dir of [dataDir, otherDir]) await rm(dir, { recursive: true, force: true });
  }
});
