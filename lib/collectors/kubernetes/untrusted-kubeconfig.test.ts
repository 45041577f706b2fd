import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { TargetConnection } from "@/lib/collectors/types";
import { renderKubeconfig, type KubernetesSimulator } from "@/lib/simulator/kubernetes";
import { ADMIN_TOKEN, newReport, SHOP_MANIFESTS, startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { PLUGIN_PATH, PLUGINS_VARIABLE, runCredentialPlugin } from "./credential-plugin";
import { collectKubernetesWorkloads, createKubernetesCollector } from ".";
import {
  FILE_TOKEN,
  HOSTILE_KINDS,
  writeHostileKubeconfigs,
  type HostileKubeconfig,
} from "./testing/hostile-kubeconfigs";
import { readUntrustedKubeconfig, SERVICE_ACCOUNT_HINT } from "./untrusted-kubeconfig";

const PLUGIN_TOKEN = "token-from-an-allowed-plugin";
const collector = createKubernetesCollector({ requestTimeoutMs: 5_000 });
let sim: KubernetesSimulator;
let dir = "";
let hostile: HostileKubeconfig[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-hostile-"));
  const rampart = { user: "rampart", grants: [{ rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] }] };
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: { [FILE_TOKEN]: rampart, [PLUGIN_TOKEN]: rampart },
  });
  hostile = await writeHostileKubeconfigs(dir, { url: sim.url, ca: sim.tls.ca });
});

afterAll(async () => {
  delete process.env[PLUGINS_VARIABLE];
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

const stored = (kubeconfig: string): TargetConnection => ({
  name: "uploaded",
  platform: "kubernetes",
  url: sim.url,
  settings: {},
  credentials: { kubeconfig },
});

async function drain(target: TargetConnection): Promise<void> {
  for await (const _ of collectKubernetesWorkloads(target, newReport(), AbortSignal.timeout(10_000))) void _;
}

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const execConfig = (command: string, env: { name: string; value: string }[] = []) =>
  stringify({
    apiVersion: "v1",
    clusters: [
      {
        name: "c",
        cluster: { server: sim.url, "certificate-authority-data": Buffer.from(sim.tls.ca).toString("base64") },
      },
    ],
    users: [{ name: "eks", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command, env } } }],
    contexts: [{ name: "ctx", context: { cluster: "c", user: "eks" } }],
    "current-context": "ctx",
  });

describe("an uploaded or stored kubeconfig", () => {
  it.each(HOSTILE_KINDS)("with %s is refused by name; it runs nothing and sends nothing", async (kind) => {
    const item = hostile.find((h) => h.kind === kind)!;
    const before = sim.requests.length;
    const test = collector.testConnection(stored(item.kubeconfig), AbortSignal.timeout(10_000));
    await expect(test, item.kind).rejects.toThrow(item.refusal);
    await expect(drain(stored(item.kubeconfig)), item.kind).rejects.toThrow(item.refusal);
    const message = await test.catch((error: Error) => error.message);
    expect(message).toContain(SERVICE_ACCOUNT_HINT);
    expect(message).not.toContain(FILE_TOKEN);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(item.marker), `${item.kind} ran its command`).toBe(false);
    expect(sim.requests.length, `${item.kind} reached the API server`).toBe(before);
  });

  it("with inline data only reaches the cluster", async () => {
    const kubeconfig = renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token: ADMIN_TOKEN });
    await expect(collector.testConnection(stored(kubeconfig), AbortSignal.timeout(10_000))).resolves.toMatch(
      /^Kubernetes v1\.33\.2 at https:\/\/127\.0\.0\.1:\d+$/,
    );
  });

  it("given as URL + token, a stored CA path is refused without reading it; the CLI user's own is read", async () => {
    const caFile = path.join(dir, "ca.pem");
    const target: TargetConnection = {
      ...stored(""),
      settings: { tlsCaFile: caFile },
      credentials: { bearerToken: ADMIN_TOKEN },
    };
    await expect(collector.testConnection(target, AbortSignal.timeout(10_000))).rejects.toThrow(
      `this target names a CA file on the Rampart server (${caFile}), which Rampart does not read for stored targets`,
    );
    await expect(
      collector.testConnection({ ...target, trustLocalFiles: true }, AbortSignal.timeout(10_000)),
    ).resolves.toMatch(/^Kubernetes v1\.33\.2/);
  });

  it("is refused for a field it does not know and for a server that is not https, naming the entry", () => {
    const base = {
      apiVersion: "v1",
      "current-context": "x",
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    };
    const text = (cluster: object, user: object) =>
      stringify({ ...base, clusters: [{ name: "c", cluster }], users: [{ name: "u", user }] });
    expect(() => readUntrustedKubeconfig(text({ server: "https://k" }, { as: "admin", token: "t" }))).toThrow(
      'the kubeconfig\'s user "u" sets as, which Rampart does not accept',
    );
    expect(() => readUntrustedKubeconfig(text({ server: "http://k" }, { token: "t" }))).toThrow(
      'cluster "c" needs a server URL starting with https://',
    );
    expect(() => readUntrustedKubeconfig("users:\n- name: x\n  user:\n    token: s3cr3t-value\n   bad: [")).toThrow(
      /^the kubeconfig cannot be read \(YAML error at line \d+\)$/,
    );
  });
});

describe("credential plugins the server's operator allowed", () => {
  it("run with an empty environment except PATH and the kubeconfig's env, and their token is used", async () => {
    const seen = path.join(dir, "plugin-env");
    const plugin = await script(
      "allowed-plugin",
      `env > ${seen}\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${PLUGIN_TOKEN}"}}'`,
    );
    process.env[PLUGINS_VARIABLE] = `/usr/bin/aws, ${plugin}`;
    process.env.RAMPART_TEST_PROCESS_SECRET = "visible-to-rampart-only";
    try {
      const kubeconfig = execConfig(plugin, [{ name: "AWS_PROFILE", value: "audit" }]);
      await expect(collector.testConnection(stored(kubeconfig), AbortSignal.timeout(10_000))).resolves.toMatch(
        /^Kubernetes v1\.33\.2/,
      );
    } finally {
      delete process.env.RAMPART_TEST_PROCESS_SECRET;
    }
    const env = (await readFile(seen, "utf8")).trim().split("\n");
    expect(env).toContain("AWS_PROFILE=audit");
    expect(env).toContain(`PATH=${PLUGIN_PATH}`);
    expect(env.join("\n")).not.toContain("RAMPART_TEST_PROCESS_SECRET");
    expect(env.join("\n")).not.toMatch(/^HOME=/m);
    expect(
      env
        .filter((line) => !/^(PWD|SHLVL|_)=/.test(line))
        .map((line) => line.split("=")[0])
        .sort(),
    ).toEqual(["AWS_PROFILE", "KUBERNETES_EXEC_INFO", "PATH"]);
  });

  it("refuse a command that is not listed, by name, without running it", async () => {
    const marker = path.join(dir, "unlisted-ran");
    const unlisted = await script("unlisted-plugin", `touch ${marker}`);
    process.env[PLUGINS_VARIABLE] = path.join(dir, "allowed-plugin");
    const test = collector.testConnection(stored(execConfig(unlisted)), AbortSignal.timeout(10_000));
    await expect(test).rejects.toThrow(
      `the kubeconfig's user "eks" sets exec (command "${unlisted}"), which runs a command on the Rampart server, and the server's operator has not allowed it in RAMPART_KUBE_CREDENTIAL_PLUGINS`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("refuse an env entry that would load code into the plugin", async () => {
    const plugin = path.join(dir, "allowed-plugin");
    process.env[PLUGINS_VARIABLE] = plugin;
    const kubeconfig = execConfig(plugin, [{ name: "LD_PRELOAD", value: path.join(dir, "evil.so") }]);
    await expect(collector.testConnection(stored(kubeconfig), AbortSignal.timeout(10_000))).rejects.toThrow(
      `the credential plugin ${plugin} may not be given the environment variable LD_PRELOAD`,
    );
  });

  it("are killed after the timeout", async () => {
    const after = path.join(dir, "slow-finished");
    const slow = await script("slow-plugin", `sleep 1\ntouch ${after}`);
    const plugin = { command: slow, args: [], env: [], apiVersion: "client.authentication.k8s.io/v1" };
    await expect(runCredentialPlugin(plugin, { allowedPlugins: [slow], timeoutMs: 200 })).rejects.toThrow(
      `the credential plugin ${slow} did not answer within 0.2 s`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(existsSync(after)).toBe(false);
    await expect(runCredentialPlugin(plugin, { allowedPlugins: [] })).rejects.toThrow(
      `the credential plugin ${slow} is not allowed on this server`,
    );
  });
});
