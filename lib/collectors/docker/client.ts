import { readFile } from "node:fs/promises";
import Docker from "dockerode";
import type { TargetConnection } from "@/lib/collectors/types";

/** Connect and idle timeout of every Engine API request. */
export const DOCKER_TIMEOUT_MS = 5_000;

export interface DockerClient {
  docker: Docker;
  /** Said once per run, e.g. that the connection is not encrypted. */
  warnings: string[];
}

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

const FILE_SETTINGS = [
  ["tlsCaFile", "CA"],
  ["tlsCertFile", "certificate"],
  ["tlsKeyFile", "key"],
] as const;

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the TLS ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/**
 * The invoking user's own TLS files (`rampart collect --docker`, serve's DOCKER_CERT_PATH) as PEM credentials.
 * Paths from anywhere else are refused without being opened, so no answer tells which server files exist.
 */
export async function readTlsFiles(target: TargetConnection): Promise<TlsMaterial> {
  const named = FILE_SETTINGS.filter(([setting]) => target.settings[setting]);
  if (named.length === 0) return {};
  if (!target.trustLocalFiles)
    throw new Error(
      `Docker at ${target.url}: this target names TLS files on the Rampart server (${named.map(([s]) => s).join(", ")}), which Rampart no longer reads; add the target again with the CA, certificate and key uploaded as PEM`,
    );
  const material: TlsMaterial = {};
  for (const [setting, what] of named) {
    const pem = await readPem(target.settings[setting]!, what);
    if (setting === "tlsCaFile") material.ca = pem;
    if (setting === "tlsCertFile") material.cert = pem;
    if (setting === "tlsKeyFile") material.key = pem;
  }
  return material;
}

async function tlsMaterial(target: TargetConnection): Promise<TlsMaterial> {
  const { credentials } = target;
  const files = await readTlsFiles(target);
  const material: TlsMaterial = {};
  const ca = credentials.tlsCa ?? files.ca;
  const cert = credentials.tlsCert ?? files.cert;
  const key = credentials.tlsKey ?? files.key;
  if (ca) material.ca = ca;
  if (cert) material.cert = cert;
  if (key) material.key = key;
  return material;
}

const DOCKER_ENV = [
  "DOCKER_HOST",
  "DOCKER_CERT_PATH",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CLIENT_TIMEOUT",
  "DOCKER_PATH_PREFIX",
];

/**
 * docker-modem fills in every option it is not given from DOCKER_HOST and DOCKER_CERT_PATH (reading the files):
 * with DOCKER_HOST=tcp://… in the server's environment a unix:// target went to that host, with the server's own
 * client certificate. The client is made with those variables hidden (synchronously), so only the target counts.
 */
function newDocker(options: Docker.DockerOptions): Docker {
  const saved = DOCKER_ENV.map((name) => [name, process.env[name]] as const);
  for (const [name] of saved) delete process.env[name];
  try {
    return new Docker(options);
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

function parseTcp(url: URL, raw: string): { host: string; port: number } {
  const port = url.port ? Number(url.port) : 2376;
  if (!url.hostname || !Number.isInteger(port))
    throw new Error(`invalid Docker address ${raw}: expected tcp://host:port`);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port };
}

/** A dockerode client for `unix://` or `tcp://` (TLS verified by default; plain only when `insecure`). */
export async function createDockerClient(target: TargetConnection): Promise<DockerClient> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new Error(`invalid Docker address ${target.url}: expected unix:///path or tcp://host:port`);
  }
  if (url.protocol === "unix:") {
    return { docker: newDocker({ socketPath: url.pathname, timeout: DOCKER_TIMEOUT_MS }), warnings: [] };
  }
  if (url.protocol !== "tcp:" && url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`unsupported Docker address ${target.url}: expected unix:///path or tcp://host:port`);
  }
  const { host, port } = parseTcp(url, target.url);
  const tls = await tlsMaterial(target);
  if (tls.cert && tls.key) {
    const docker = newDocker({ host, port, protocol: "https", ...tls, timeout: DOCKER_TIMEOUT_MS });
    return { docker, warnings: [] };
  }
  if (tls.cert || tls.key)
    throw new Error(`Docker at ${target.url}: a TLS client certificate needs both the certificate and its key`);
  if (!target.settings.insecure) {
    throw new Error(
      `Docker at ${target.url}: tcp:// needs TLS client certificates (CA, certificate, key); allow plain TCP (--insecure, settings.insecure) only on a trusted network`,
    );
  }
  const warning = `Docker at ${target.url} is polled over plain TCP without TLS: anyone on the network can read and control it`;
  return { docker: newDocker({ host, port, protocol: "http", timeout: DOCKER_TIMEOUT_MS }), warnings: [warning] };
}

interface DockerError {
  statusCode?: number;
  code?: string;
  message?: string;
  reason?: string;
  json?: { message?: string } | null;
}

/** Turns a dockerode error into one line saying what failed and where. */
export function describeDockerError(error: unknown, url: string, what: string): Error {
  const e = (error ?? {}) as DockerError;
  if (e.statusCode) {
    const detail = e.json?.message ?? e.reason ?? e.message ?? "";
    return new Error(`Docker at ${url} answered ${e.statusCode} to ${what}: ${detail}`.trimEnd());
  }
  if (e.code === "ABORT_ERR" || (error instanceof Error && error.name === "AbortError")) {
    return new Error(`${what} at Docker ${url} was aborted`);
  }
  const message = e.message ?? String(error);
  const short = message.replace(/\s+\S*\.sock$/, "").replace(/\s+\d+\.\d+\.\d+\.\d+:\d+$/, "");
  return new Error(`cannot reach Docker at ${url}: ${short}`);
}

export function isNotFound(error: unknown): boolean {
  return (error as DockerError | null)?.statusCode === 404;
}
