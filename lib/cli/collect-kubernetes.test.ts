import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderKubeconfig, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { ADMIN_TOKEN, SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { runCommand, type CommandOutput } from "./testing/run-command";
import { run, USAGE } from "./commands/collect";
import { stringify } from "yaml";
import { scanOutputSchema } from "./output/schema";

let sim: KubernetesSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS] });
  dir = await mkdtemp(path.join(os.tmpdir(), "rampart-collect-k8s-"));
});

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const collect = (...argv: string[]): Promise<CommandOutput> => runCommand(run, argv);

async function kubeconfig(token: string): Promise<string> {
  const file = path.join(dir, `${token}.yaml`);
  await writeFile(file, renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token }));
  return file;
}

describe("rampart collect --kubeconfig", () => {
  it("polls the cluster once and prints the scan document, one result per workload, sourced at the API server", async () => {
    const { code, stdout } = await collect("--kubeconfig", await kubeconfig(ADMIN_TOKEN), "--once", "--format", "json");
    expect(code).toBe(1);
    const output = scanOutputSchema.parse(JSON.parse(stdout));
    expect(output.results.map((r) => `${r.workload.kind}/${r.workload.namespace}/${r.workload.name}`)).toContain(
      "Deployment/shop/api",
    );
    expect(output.summary.workloads).toBe(7);
    expect(new Set(output.results.map((r) => r.source))).toEqual(new Set([sim.url]));
    expect(output.results.every((r) => r.platform === "kubernetes" && r.podSecurity !== undefined)).toBe(true);
  });

  it("limits the poll to the namespaces given", async () => {
    const { stdout } = await collect(
      "--kubeconfig",
      await kubeconfig(ADMIN_TOKEN),
      "--namespaces",
      "payments",
      "--once",
      "--format",
      "json",
    );
    const output = scanOutputSchema.parse(JSON.parse(stdout));
    expect(new Set(output.results.map((r) => r.workload.namespace))).toEqual(new Set(["payments"]));
  });

  it("exits 2 with a message naming the problem for an unknown token or an unreadable kubeconfig", async () => {
    const refused = await collect("--kubeconfig", await kubeconfig("nobody"), "--once");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/rampart collect: .*(401|[Uu]nauthori[sz]ed)/);
    const missing = await collect("--kubeconfig", path.join(dir, "absent.yaml"), "--once");
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read kubeconfig") });
  });

  it("runs the exec plugin of the user's own kubeconfig as kubectl does, and says so in --help", async () => {
    const marker = path.join(dir, "own-plugin-ran");
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: ADMIN_TOKEN },
    });
    const file = path.join(dir, "own-exec.yaml");
    await writeFile(
      file,
      stringify({
        apiVersion: "v1",
        clusters: [
          {
            name: "c",
            cluster: { server: sim.url, "certificate-authority-data": Buffer.from(sim.tls.ca).toString("base64") },
          },
        ],
        users: [
          {
            name: "me",
            user: {
              exec: {
                apiVersion: "client.authentication.k8s.io/v1",
                command: "/bin/sh",
                args: ["-c", `touch ${marker}; echo '${credential}'`],
              },
            },
          },
        ],
        contexts: [{ name: "ctx", context: { cluster: "c", user: "me" } }],
        "current-context": "ctx",
      }),
    );
    const { code, stderr } = await collect("--kubeconfig", file, "--once", "--format", "json");
    expect(stderr).toBe("");
    expect(code).not.toBe(2);
    expect(existsSync(marker)).toBe(true);
    expect(USAGE).toContain("exec and auth-provider credential plugins run");
    expect(USAGE).toContain("uploaded to the dashboard or stored in targets are never treated so");
  });
});
