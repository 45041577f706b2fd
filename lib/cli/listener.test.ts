import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortFree, isListeningOn } from "./listener";

const PRELOAD = fileURLToPath(new URL("./exit-with-parent.mjs", import.meta.url));
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function listenOnFreePort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

/** Running, not a zombie waiting for a reaper (PID 1 of a container may not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe("web server port", () => {
  it("refuses a port another process listens on, naming it", async () => {
    const port = await listenOnFreePort();
    await expect(assertPortFree("127.0.0.1", port)).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    await expect(assertPortFree("127.0.0.1", port)).resolves.toBeUndefined();
  });

  it("tells the process listening on a port from another one", async () => {
    const port = await listenOnFreePort();
    expect(await isListeningOn(process.pid, port)).toBe(true);
    expect(await isListeningOn(process.ppid, port)).toBe(false);
  });
});

describe("exit-with-parent", () => {
  it("a web child started with it exits and frees its port when its parent is killed with SIGKILL", async () => {
    const port = await listenOnFreePort();
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const childCode = `require("http").createServer((q, r) => r.end("ok")).listen(${port}, "127.0.0.1")`;
    // The parent spawns the child the way startNext does: the preload, and a stdin pipe the parent holds.
    const parentCode = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["--import", ${JSON.stringify(PRELOAD)}, "-e", ${JSON.stringify(childCode)}],
        { stdio: ["pipe", "inherit", "inherit"] });
      console.log(child.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", parentCode], { stdio: ["ignore", "pipe", "inherit"] });
    const childPid = await new Promise<number>((resolve) =>
      parent.stdout.once("data", (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
    expect(await waitUntil(async () => (await isListeningOn(childPid, port)) === true, 10_000)).toBe(true);
    await expect(assertPortFree("127.0.0.1", port)).rejects.toThrow(/in use/);

    parent.kill("SIGKILL");
    expect(await waitUntil(() => !isAlive(childPid), 5_000)).toBe(true);
    const isPortFree = () =>
      assertPortFree("127.0.0.1", port).then(
        () => true,
        () => false,
      );
    expect(await waitUntil(isPortFree, 5_000)).toBe(true);
  });
});
