import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, createSign, randomUUID, X509Certificate } from "node:crypto";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "@/e2e/support/dockerd";
import type { TlsFiles } from "@/e2e/support/tls-certs";

// Debian's docker-registry on loopback, in the three shapes the brief asks for, plus a token service in the test.

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  dir: string;
  name: string;
  /** Registries given one storage folder serve the same images (pushed once, to the one without auth). */
  storage: string;
  tls?: TlsFiles;
  /** htpasswd basic auth with this one user. */
  basic?: { username: string; password: string };
  /** Token auth: the realm of a token service (see startTokenService) signed by the TLS CA. */
  token?: { realm: string; caFile: string };
}

const run = promisify(execFile);

export async function startTestRegistry(options: RegistryOptions): Promise<TestRegistry> {
  const dir = path.join(options.dir, options.name);
  await mkdir(dir, { recursive: true });
  await mkdir(options.storage, { recursive: true });
  const host = `127.0.0.1:${await freePort()}`;
  const lines = [
    "version: 0.1",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${options.storage}`,
    "  delete:",
    "    enabled: true",
  ];
  lines.push("http:", `  addr: ${host}`);
  if (options.tls)
    lines.push("  tls:", `    certificate: ${options.tls.serverCertFile}`, `    key: ${options.tls.serverKeyFile}`);
  if (options.basic) {
    const { stdout } = await run("htpasswd", ["-Bbn", options.basic.username, options.basic.password]);
    await writeFile(path.join(dir, "htpasswd"), stdout);
    lines.push("auth:", "  htpasswd:", "    realm: rampart-test", `    path: ${dir}/htpasswd`);
  }
  if (options.token) {
    lines.push("auth:", "  token:", `    realm: ${options.token.realm}`, "    service: rampart-test");
    lines.push("    issuer: rampart-test-issuer", `    rootcertbundle: ${options.token.caFile}`);
  }
  await writeFile(path.join(dir, "config.yml"), lines.join("\n") + "\n");
  const log = await open(path.join(dir, "registry.log"), "a");
  const child = spawn("docker-registry", ["serve", path.join(dir, "config.yml")], {
    stdio: ["ignore", log.fd, log.fd],
  });
  child.once("exit", () => void log.close().catch(() => undefined));
  await waitUntilServing(child, `${options.tls ? "https" : "http"}://${host}/v2/`, options.tls?.ca, dir);
  return { host, stop: () => stopChild(child) };
}

async function waitUntilServing(child: ChildProcess, url: string, ca: string | undefined, dir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = await readFile(path.join(dir, "registry.log"), "utf8").catch(() => "");
      throw new Error(`docker-registry exited: ${tail.slice(-800)}`);
    }
    const status = await new Promise<number>((resolve) => {
      const client = url.startsWith("https") ? https : http;
      const request = client.get(url, { ca, timeout: 1000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", () => resolve(0));
      request.on("timeout", () => request.destroy());
    });
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`docker-registry at ${url} did not start`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export interface TokenService {
  realm: string;
  /** Requests seen: whether each carried credentials. */
  requests: { authorized: boolean; scope: string }[];
  stop(): Promise<void>;
}

/**
 * A token endpoint in the distribution token format, signed with the test CA's key (its certificate in `x5c`):
 * pull of `public/*` for anyone, of anything else only with the given login.
 */
export async function startTokenService(
  tls: TlsFiles,
  login: { username: string; password: string },
): Promise<TokenService> {
  const key = await readFile(path.join(path.dirname(tls.caFile), "ca-key.pem"), "utf8");
  const der = new X509Certificate(tls.ca).raw.toString("base64");
  const requests: TokenService["requests"] = [];
  const expected = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
  const server = https.createServer(
    { cert: await readFile(tls.serverCertFile), key: await readFile(tls.serverKeyFile) },
    (req, res) => {
      const url = new URL(req.url ?? "/", "https://localhost");
      const scope = url.searchParams.get("scope") ?? "";
      const authorization = req.headers.authorization;
      requests.push({ authorized: authorization !== undefined, scope });
      const repository = scope.split(":")[1] ?? "";
      if (authorization !== undefined && authorization !== expected) {
        res.writeHead(401).end();
        return;
      }
      const granted = repository.startsWith("public/") || authorization === expected;
      const access = granted ? [{ type: "repository", name: repository, actions: ["pull"] }] : [];
      const token = signToken(key, der, access);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, expires_in: 300 }));
    },
  );
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    realm: `https://127.0.0.1:${port}/token`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function signToken(key: string, der: string, access: unknown[]): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const header = encode({ alg: "RS256", typ: "JWT", x5c: [der] });
  const claims = encode({
    iss: "rampart-test-issuer",
    sub: "",
    aud: "rampart-test",
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  });
  const signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(key).toString("base64url");
  return `${header}.${claims}.${signature}`;
}

export function digestOf(body: Buffer | string): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

/** Writes to a registry without auth over plain HTTP (test setup only: Rampart itself never writes). */
export async function putToRegistry(
  host: string,
  pathname: string,
  body: Buffer | string,
  contentType: string,
  method: "PUT" | "POST" = "PUT",
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `http://${host}${pathname}`,
      { method, headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Uploads one blob (monolithic upload) and returns its digest. */
export async function pushBlob(host: string, repository: string, body: Buffer | string): Promise<string> {
  const digest = digestOf(body);
  const start = await putToRegistry(host, `/v2/${repository}/blobs/uploads/`, "", "application/octet-stream", "POST");
  const location = new URL(String(start.headers.location), `http://${host}`);
  location.searchParams.set("digest", digest);
  const done = await putToRegistry(host, location.pathname + location.search, body, "application/octet-stream");
  if (done.statusCode !== 201) throw new Error(`blob upload answered ${done.statusCode}`);
  return digest;
}

/** Puts a manifest or index under a tag; returns its digest. */
export async function pushManifest(
  host: string,
  repository: string,
  tag: string,
  body: string,
  mediaType: string,
): Promise<string> {
  const response = await putToRegistry(host, `/v2/${repository}/manifests/${tag}`, body, mediaType);
  if (response.statusCode !== 201) throw new Error(`manifest put answered ${response.statusCode}`);
  return digestOf(body);
}
