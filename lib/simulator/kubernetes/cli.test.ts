import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SHOP_MANIFESTS } from "./testing";

const BIN = fileURLToPath(new URL("../../cli/bin.mjs", import.meta.url));

describe("rampart simulator kubernetes", () => {
  let dir: string;
  let child: ReturnType<typeof spawn>;
  let banner = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rampart-sim-cli-"));
    const args = [
      "simulator",
      "kubernetes",
      "--from",
      SHOP_MANIFESTS,
      "--pods",
      "50",
      "--seed",
      "3",
      "--listen",
      "127.0.0.1:0",
      "--kubeconfig-out",
      path.join(dir, "config"),
    ];
    child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
      child.stdout?.on("data", (chunk: Buffer) => {
        banner += chunk.toString();
        if (banner.includes("\n")) resolve();
      });
    });
  });

  afterAll(async () => {
    child?.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the manifests plus the generated fleet, and writes a kubeconfig that reaches it", async () => {
    expect(banner).toMatch(
      /^Kubernetes simulator at https:\/\/127\.0\.0\.1:\d+: 72 pods, \d+ namespaces; kubeconfig in /,
    );
    const config = parse(await readFile(path.join(dir, "config"), "utf8"));
    const cluster = config.clusters[0].cluster;
    const ca = Buffer.from(cluster["certificate-authority-data"], "base64").toString();
    const headers = { authorization: `Bearer ${config.users[0].user.token}` };
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(new URL("/api/v1/namespaces/shop/pods", cluster.server), { ca, headers }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    expect(
      JSON.parse(body).items.filter((p: { metadata: { name: string } }) => p.metadata.name.startsWith("api-")),
    ).toHaveLength(10);
  });

  it("refuses a malformed --listen", async () => {
    const bad = spawn(process.execPath, [BIN, "simulator", "kubernetes", "--listen", "localhost"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    bad.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => bad.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--listen must be HOST:PORT, got "localhost"');
  });
});
