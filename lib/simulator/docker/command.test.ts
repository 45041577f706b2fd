import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../cli/bin.mjs", import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-sim-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("rampart simulator docker", () => {
  it("serves the generated hosts on the printed sockets until SIGTERM", async () => {
    const child = spawn(process.execPath, [
      BIN,
      "simulator",
      "docker",
      "--hosts",
      "2",
      "--containers",
      "7",
      "--socket-dir",
      dir,
    ]);
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.split("\n").length > 3) resolve();
      });
      child.once("exit", () => reject(new Error(`exited early: ${output}`)));
    });
    const urls = [...output.matchAll(/^host-\d+ (unix:\/\/\S+)$/gm)].map((m) => m[1]!);
    expect(urls).toEqual([`unix://${dir}/host-0001.sock`, `unix://${dir}/host-0002.sock`]);
    const docker = new Docker({ socketPath: new URL(urls[1]!).pathname });
    expect(await docker.listContainers({ all: true })).toHaveLength(7);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("rejects a host count that is not a positive number", async () => {
    await expect(
      promisify(execFile)(process.execPath, [BIN, "simulator", "docker", "--hosts", "0"]),
    ).rejects.toMatchObject({ code: 2 });
  });
});
