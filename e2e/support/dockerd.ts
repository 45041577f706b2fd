import { execFile, spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { makeTlsFiles, type TlsFiles } from "./tls-certs";

// A private Docker engine for tests: its own socket, data and exec roots, no bridge, no iptables.

const TOOLS = [
  ["dockerd", "docker.io"],
  ["docker", "docker.io"],
  ["docker-registry", "docker-registry"],
  ["openssl", "openssl"],
] as const;
const BUSYBOX = "/bin/busybox";

export interface PrivateDockerd {
  dir: string;
  socket: string;
  /** `unix:///…/docker.sock` */
  url: string;
  tls?: { url: string; files: TlsFiles };
  /** `127.0.0.1:<port>` of the private registry. */
  registry?: string;
  /** Runs the docker CLI against this engine (in `dir`, for relative bind sources) and resolves to its trimmed stdout. */
  docker(args: string[]): Promise<string>;
  /** Stops the daemon abruptly for the caller; containers keep running (live-restore). */
  kill(): Promise<void>;
  /** Starts the daemon again on the same folders and waits for it. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  tls?: boolean;
  registry?: boolean;
}

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/sbin"]);
  return dirs.some((dir) => {
    try {
      return statSync(path.join(dir, tool)).isFile();
    } catch {
      return false;
    }
  });
}

/** Why a private dockerd cannot run here, as one line saying what to install; null when it can. */
export function dockerdUnavailableReason(): string | null {
  const missing = new Set<string>(TOOLS.filter(([tool]) => !onPath(tool)).map(([, pkg]) => pkg));
  if (!onPath("busybox")) missing.add("busybox-static");
  if (missing.size > 0) return `dockerd tests need: apt-get install -y ${[...missing].join(" ")}`;
  if (process.getuid?.() !== 0) return "dockerd tests need root (a private dockerd cannot run rootless here)";
  return null;
}

/** True when the dockerd tests can run; prints one line otherwise, and fails under RAMPART_REQUIRE_ALL=1. */
export function canRunDockerd(): boolean {
  const reason = dockerdUnavailableReason();
  if (reason === null) return true;
  if (process.env.RAMPART_REQUIRE_ALL === "1") throw new Error(`RAMPART_REQUIRE_ALL=1 but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.slice(0, 4).join(" ")} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: socket, path: "/_ping", timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = (await readFile(log, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}):\n${tail}`);
    }
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not become ready within 60 s (log: ${log})`);
}

async function spawnLogged(file: string, args: string[], log: string): Promise<ChildProcess> {
  const out = await open(log, "a");
  const child = spawn(file, args, { stdio: ["ignore", out.fd, out.fd] });
  child.once("exit", () => void out.close().catch(() => undefined));
  return child;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** With live-restore a container that survived removal keeps its shim: kill shims of `dir` and their children. */
async function killLeftovers(dir: string): Promise<void> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.includes("containerd-shim") || !cmdline.includes(`${dir}/`)) continue;
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
    for (const target of [...children.split(" ").filter(Boolean), pid]) {
      try {
        process.kill(Number(target), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}

/** dockerd leaves its data root and netns files mounted; lazily unmount whatever is left under `dir`. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile("/proc/mounts", "utf8").catch(() => ""))
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((mount) => mount.startsWith(dir + "/"))
    .sort()
    .reverse();
  for (const mount of mounts) await exec("umount", ["-l", mount], process.env).catch(() => "");
}

async function startRegistry(dir: string): Promise<{ address: string; child: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = path.join(dir, "registry.yml");
  await mkdir(path.join(dir, "registry"), { recursive: true });
  const yaml = `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, "registry")}\nhttp:\n  addr: ${address}\n`;
  await writeFile(config, yaml);
  const log = path.join(dir, "registry.log");
  const child = await spawnLogged("docker-registry", ["serve", config], log);
  await waitFor("docker-registry", () => httpOk(`http://${address}/v2/`), child, log);
  return { address, child };
}

/** Starts a private dockerd (and optionally a TLS listener and a registry) under a fresh temp folder. */
export async function startDockerd(options: StartOptions = {}): Promise<PrivateDockerd> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rampart-dockerd-"));
  const socket = path.join(dir, "docker.sock");
  const log = path.join(dir, "dockerd.log");
  const args = [
    "--host",
    `unix://${socket}`,
    "--data-root",
    path.join(dir, "data"),
    "--exec-root",
    path.join(dir, "exec"),
    "--pidfile",
    path.join(dir, "dockerd.pid"),
    "--bridge=none",
    "--iptables=false",
    "--ip-masq=false",
    "--live-restore",
    "--shutdown-timeout=2",
  ];
  let tls: PrivateDockerd["tls"];
  if (options.tls) {
    const files = await makeTlsFiles(
      await mkdir(path.join(dir, "tls"), { recursive: true }).then(() => path.join(dir, "tls")),
    );
    const port = await freePort();
    tls = { url: `tcp://127.0.0.1:${port}`, files };
    args.push(
      "--host",
      tls.url,
      "--tlsverify",
      "--tlscacert",
      files.caFile,
      "--tlscert",
      files.serverCertFile,
      "--tlskey",
      files.serverKeyFile,
    );
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_CONFIG: path.join(dir, "cli"),
    DOCKER_BUILDKIT: "0",
  };
  delete env.DOCKER_TLS_VERIFY;
  delete env.DOCKER_CERT_PATH;
  let child = await spawnLogged("dockerd", args, log);
  const children: ChildProcess[] = [];
  const registry = options.registry ? await startRegistry(dir) : undefined;
  if (registry) children.push(registry.child);
  await waitFor("dockerd", () => ping(socket), child, log);
  const docker = (cliArgs: string[]) => exec("docker", cliArgs, env, dir);
  const engine: PrivateDockerd = {
    dir,
    socket,
    url: `unix://${socket}`,
    docker,
    async kill() {
      await stopChild(child);
    },
    async restart() {
      child = await spawnLogged("dockerd", args, log);
      await waitFor("dockerd", () => ping(socket), child, log);
    },
    async stop() {
      for (let attempt = 0; attempt < 3 && (await ping(socket)); attempt++) {
        const ids = (await docker(["ps", "-aq"]).catch(() => "")).split("\n").filter(Boolean);
        if (ids.length === 0) break;
        await docker(["rm", "-f", ...ids]).catch(() => "");
      }
      await Promise.all([stopChild(child), ...children.map((c) => stopChild(c))]);
      await killLeftovers(dir);
      await unmountUnder(dir);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    },
  };
  if (tls) engine.tls = tls;
  if (registry) engine.registry = registry.address;
  return engine;
}

const PASSWD =
  "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n";
const GROUP = "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n";

export interface ImageSpec {
  tag: string;
  /** Dockerfile lines after `FROM <base>`. */
  lines?: string[];
  buildArgs?: Record<string, string>;
}

/** The base image: busybox on scratch with a passwd holding root, app (1000) and nobody. */
export async function buildBaseImage(engine: PrivateDockerd, tag = "rampart-test/base:1"): Promise<string> {
  const context = path.join(engine.dir, "context-base");
  await mkdir(context, { recursive: true });
  await copyFile(BUSYBOX, path.join(context, "busybox"));
  await writeFile(path.join(context, "passwd"), PASSWD);
  await writeFile(path.join(context, "group"), GROUP);
  const dockerfile = [
    "FROM scratch",
    "COPY busybox /bin/busybox",
    "COPY passwd /etc/passwd",
    "COPY group /etc/group",
    'RUN ["/bin/busybox","--install","-s","/bin"]',
  ];
  await writeFile(path.join(context, "Dockerfile"), dockerfile.join("\n") + "\n");
  await engine.docker(["build", "-q", "-t", tag, context]);
  return tag;
}

/** Builds `FROM base` plus the given lines; build arguments stay in the image history, as in real life. */
export async function buildImage(engine: PrivateDockerd, base: string, spec: ImageSpec): Promise<string> {
  const context = path.join(engine.dir, `context-${spec.tag.replace(/[^a-z0-9]+/gi, "-")}`);
  await mkdir(context, { recursive: true });
  await writeFile(path.join(context, "Dockerfile"), [`FROM ${base}`, ...(spec.lines ?? [])].join("\n") + "\n");
  const buildArgs = Object.entries(spec.buildArgs ?? {}).flatMap(([name, value]) => [
    "--build-arg",
    `${name}=${value}`,
  ]);
  await engine.docker(["build", "-q", "-t", spec.tag, ...buildArgs, context]);
  return spec.tag;
}

/** Pushes an image to the private registry and returns `127.0.0.1:<port>/name@sha256:…`. */
export async function pushForDigest(engine: PrivateDockerd, image: string, name: string): Promise<string> {
  if (!engine.registry) throw new Error("start the dockerd with { registry: true } to push images");
  const remote = `${engine.registry}/${name}:1`;
  await engine.docker(["tag", image, remote]);
  await engine.docker(["push", "-q", remote]);
  const digests = await engine.docker(["image", "inspect", "--format", "{{json .RepoDigests}}", remote]);
  const pinned = (JSON.parse(digests) as string[]).find((d) => d.startsWith(`${engine.registry}/${name}@`));
  if (!pinned) throw new Error(`no RepoDigest for ${remote} after push`);
  return pinned;
}

/** `docker run -d` with network none unless the flags choose host; returns the container id. */
export async function runContainer(
  engine: PrivateDockerd,
  name: string,
  flags: string[],
  image: string,
  command = ["sleep", "3600"],
  verb: "run" | "create" = "run",
): Promise<string> {
  const network = flags.some((flag) => flag.startsWith("--network")) ? [] : ["--network", "none"];
  const detach = verb === "run" ? ["-d"] : [];
  return engine.docker([verb, ...detach, "--name", name, ...network, ...flags, image, ...command]);
}
