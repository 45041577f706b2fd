import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type LocalProvider } from "../lib/auth/oidc-provider.testing";
import { TRUSTED_PROXY_ADDRESS } from "./support/trusted-proxy";
import { createFirstAdmin, ssoEnv, startSsoProvider, waitForSetupLink, writeSignedOutState } from "./auth-setup";
import {
  buildBaseImage,
  dockerdUnavailableReason,
  freePort,
  runContainer,
  startDockerd,
  type PrivateDockerd,
} from "./support/dockerd";
import { ADMIN_TOKEN, SHOP_MANIFESTS, startTestCluster } from "../lib/simulator/kubernetes/testing";
import type { KubernetesSimulator } from "../lib/simulator/kubernetes";

// Starts the whole product the way a user does (`rampart serve`, embedded database) against a private dockerd,
// and waits until the collector has polled it; the specs then only look at pages.

const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(import.meta.dirname, "..");
const POLL_TIMEOUT_MS = 180_000;

export const PRIVILEGED_CONTAINER = "e2e-privileged";
export const HARDENED_CONTAINER = "e2e-hardened";

function unavailableReason(): string | null {
  if (!existsSync(CHROMIUM)) return "browser tests need: apt-get install -y chromium";
  return dockerdUnavailableReason();
}

/** The privileged one is created but not started: this sandbox lacks CAP_SYS_RESOURCE, which --privileged needs. */
async function startContainers(engine: PrivateDockerd): Promise<void> {
  const base = await buildBaseImage(engine);
  await engine.docker([
    "create",
    "--name",
    PRIVILEGED_CONTAINER,
    "--network",
    "none",
    "--privileged",
    base,
    "sleep",
    "3600",
  ]);
  const hardened = [
    "--user=1000:1000",
    "--read-only",
    "--cap-drop=ALL",
    "--security-opt=no-new-privileges",
    "--memory=64m",
    "--cpus=0.5",
    "--pids-limit=64",
  ];
  await runContainer(engine, HARDENED_CONTAINER, hardened, base);
}

async function startServe(
  port: number,
  dataDir: string,
  engine: PrivateDockerd,
  log: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess> {
  const out = await open(log, "a");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    DOCKER_HOST: engine.url,
    RAMPART_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    // e2e/support/trusted-proxy.ts connects from here; the browser's own 127.0.0.1 stays an untrusted client.
    RAMPART_TRUSTED_PROXIES: TRUSTED_PROXY_ADDRESS,
  };
  delete env.DATABASE_URL;
  delete env.DOCKER_CERT_PATH;
  delete env.PORT;
  const child = spawn(process.execPath, ["lib/cli/bin.mjs", "serve", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", out.fd, out.fd],
  });
  child.once("exit", () => void out.close().catch(() => undefined));
  return child;
}

/** The /targets page says `succeeded` once the scheduler has polled `local-docker`. */
async function waitForFirstPoll(baseUrl: string, serve: ChildProcess, log: string, cookie: string): Promise<void> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (serve.exitCode !== null) {
      throw new Error(`rampart serve exited (${serve.exitCode}):\n${await readFile(log, "utf8").catch(() => "")}`);
    }
    const html = await fetch(`${baseUrl}/targets`, { headers: { cookie }, signal: AbortSignal.timeout(5_000) }).then(
      (response) => (response.ok ? response.text() : ""),
      () => "",
    );
    if (html.includes("local-docker") && html.includes(">succeeded<")) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `no succeeded poll of local-docker within ${POLL_TIMEOUT_MS / 1000} s; log:\n${await readFile(log, "utf8")}`,
  );
}

function stopServe(serve: ChildProcess): Promise<void> {
  if (serve.exitCode !== null || serve.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => serve.kill("SIGKILL"), 20_000);
    serve.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    serve.kill("SIGTERM");
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const reason = unavailableReason();
  if (reason !== null) {
    if (process.env.RAMPART_REQUIRE_ALL === "1") throw new Error(`RAMPART_REQUIRE_ALL=1 but ${reason}`);
    console.warn(`skipping e2e: ${reason}`);
    writeSignedOutState();
    process.env.RAMPART_E2E_SKIP = reason;
    return async () => undefined;
  }
  const engine = await startDockerd();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rampart-e2e-data-"));
  const log = path.join(dataDir, "serve.log");
  let serve: ChildProcess | undefined;
  let cluster: KubernetesSimulator | undefined;
  let sso: LocalProvider | undefined;
  const teardown = async () => {
    if (serve) await stopServe(serve);
    await sso?.close();
    await cluster?.close();
    await engine.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await startContainers(engine);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    sso = await startSsoProvider(baseUrl);
    serve = await startServe(port, dataDir, engine, log, ssoEnv(sso));
    const cookie = await createFirstAdmin(await waitForSetupLink(log));
    await waitForFirstPoll(baseUrl, serve, log, cookie);
    process.env.RAMPART_E2E_BASE_URL = baseUrl;
    process.env.RAMPART_E2E_DOCKER_HOST = engine.url;
    // For the target specs: the private dockerd to add through the form, and a simulated cluster to add by URL + token + CA.
    process.env.RAMPART_E2E_DOCKER_URL = engine.url;
    cluster = await startTestCluster({ manifestPaths: [SHOP_MANIFESTS] });
    await writeFile(path.join(dataDir, "cluster-ca.pem"), cluster.tls.ca);
    process.env.RAMPART_E2E_CLUSTER_URL = cluster.url;
    process.env.RAMPART_E2E_CLUSTER_TOKEN = ADMIN_TOKEN;
    process.env.RAMPART_E2E_CLUSTER_CA_FILE = path.join(dataDir, "cluster-ca.pem");
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
