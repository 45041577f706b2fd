import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { scanOutputSchema } from "./output/schema";

const BIN = fileURLToPath(new URL("./bin.mjs", import.meta.url));
let sim: KubernetesSimulator;
let dir: string;

beforeAll(async () => {
  const reader = { user: "system:serviceaccount:rampart:rampart", grants: [{ rules: ALL_RULES }] };
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS], tokens: { "sa-token-1": reader } });
  dir = await mkdtemp(path.join(os.tmpdir(), "rampart-in-cluster-"));
  await writeFile(path.join(dir, "ca.crt"), sim.tls.ca);
  await writeFile(path.join(dir, "namespace"), "rampart");
});

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `rampart collect --in-cluster` in a child process whose environment is a pod's (no kubeconfig anywhere). */
function collectInPod(env: Record<string, string>, ...argv: string[]) {
  const { host, port } = new URL(sim.url);
  const child = spawn(process.execPath, [BIN, "collect", "--in-cluster", "--once", "--format", "json", ...argv], {
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      KUBERNETES_SERVICE_HOST: host.split(":")[0]!,
      KUBERNETES_SERVICE_PORT: port,
      RAMPART_SERVICEACCOUNT_DIR: dir,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

describe("rampart collect --in-cluster", () => {
  it("reaches the API server from KUBERNETES_SERVICE_HOST/PORT with the mounted token and CA, and rereads a rotated token", async () => {
    await writeFile(path.join(dir, "token"), "sa-token-1\n");
    const first = await collectInPod({});
    expect(first.code, first.stderr).toBe(1);
    const output = scanOutputSchema.parse(JSON.parse(first.stdout));
    expect(output.summary.workloads).toBe(7);
    expect(new Set(output.results.map((r) => r.source))).toEqual(new Set([sim.url]));

    // The kubelet rotates a projected token: the old one stops working, the file holds the new one.
    sim.tokens.delete("sa-token-1");
    sim.tokens.set("sa-token-2", { user: "system:serviceaccount:rampart:rampart", grants: [{ rules: ALL_RULES }] });
    await writeFile(path.join(dir, "token"), "sa-token-2\n");
    const rotated = await collectInPod({}, "--namespaces", "shop");
    expect(rotated.code, rotated.stderr).toBe(1);
    const shop = scanOutputSchema.parse(JSON.parse(rotated.stdout));
    expect(new Set(shop.results.map((r) => r.workload.namespace))).toEqual(new Set(["shop"]));
  });

  it("fails with the reason outside a pod, with a CA that does not match, or without a token file", async () => {
    const outside = await collectInPod({ KUBERNETES_SERVICE_HOST: "" });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("in-cluster mode needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT");

    const other = await mkdtemp(path.join(dir, "other-"));
    await writeFile(path.join(other, "ca.crt"), await otherCa());
    await writeFile(path.join(other, "token"), "sa-token-2");
    const untrusted = await collectInPod({ RAMPART_SERVICEACCOUNT_DIR: other });
    expect(untrusted.code).toBe(2);
    expect(untrusted.stdout).toBe("");

    const empty = await mkdtemp(path.join(dir, "empty-"));
    const noToken = await collectInPod({ RAMPART_SERVICEACCOUNT_DIR: empty });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(`in-cluster mode cannot read ${empty}/ca.crt: ENOENT`);
  });
});

/** A CA the simulator's certificate was not signed by. */
async function otherCa(): Promise<string> {
  const { generateServerTls } = await import("@/lib/simulator/kubernetes/certs");
  return (await generateServerTls()).ca;
}
