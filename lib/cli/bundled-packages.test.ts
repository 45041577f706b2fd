import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/support/dockerd";
import { bundledPackagesPlugin, REQUIRE_BANNER } from "./bundled-packages.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

// dockerode as the compiled CLI bundles it, called on the paths whose modules the bundle loads on first use:
// buildImage with BuildKit's session (gRPC, .proto files under node_modules), its build context (tar-fs,
// dockerignore), and an ssh:// engine (ssh2).
const ENTRY = `
import Docker from "dockerode";
import { createRequire } from "node:module";

const { cache } = createRequire(import.meta.url);
const [socketPath, context, sshPort] = process.argv.slice(2);
const loaded = () => Object.keys(cache).filter((file) => /node_modules\\/(@grpc\\/grpc-js|tar-fs|ssh2)\\//.test(file));
const before = loaded();
const stream = await new Docker({ socketPath }).buildImage(
  { context, src: ["Dockerfile", "notes.txt"] },
  { t: "lazy:1", version: "2" },
);
const output = await new Promise((resolve) => {
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  stream.on("end", () => resolve(text));
});
const afterBuild = loaded();
const ssh = await new Docker({ protocol: "ssh", host: "127.0.0.1", port: Number(sshPort), username: "rampart" })
  .ping()
  .then(() => "answered", (error) => error.code ?? error.message);
console.log(JSON.stringify({ before, afterBuild, afterSsh: loaded(), output, ssh }));
process.exit(0);
`;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A Docker Engine that grants a BuildKit session (101 h2c) and answers one build. */
function startEngine(socketPath: string) {
  const received: Received[] = [];
  const upgraded: Socket[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url?.startsWith("/build") ? 200 : 404, { "Content-Type": "application/json" });
      res.end('{"stream":"built"}\n');
    });
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Socket) => {
    received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.alloc(0) });
    socket.on("error", () => undefined);
    upgraded.push(socket);
    socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  });
  return new Promise<{ received: Received[]; close(): Promise<void> }>((resolve) =>
    server.listen(socketPath, () =>
      resolve({
        received,
        close: () => {
          for (const socket of upgraded) socket.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      }),
    ),
  );
}

describe("dockerode as the compiled CLI bundles it", () => {
  let dir: string;

  beforeAll(async () => {
    // Inside the project, as the CLI's own build: the bundle's external requires resolve from its node_modules.
    await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, ".tmp", "bundled-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads BuildKit's session, tar-fs, dockerignore and ssh2 when buildImage and an ssh:// engine need them", async () => {
    const esbuild = await import("esbuild");
    const out = path.join(dir, "out");
    await writeFile(path.join(dir, "entry.mjs"), ENTRY);
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [path.join(dir, "entry.mjs")],
      outdir: out,
      bundle: true,
      format: "esm",
      platform: "node",
      outExtension: { ".js": ".mjs" },
      banner: { js: REQUIRE_BANNER },
      logLevel: "silent",
      plugins: [bundledPackagesPlugin(ROOT, out)],
    });
    const context = path.join(dir, "context");
    await mkdir(context);
    await writeFile(path.join(context, "Dockerfile"), "FROM scratch\n");
    await writeFile(path.join(context, "notes.txt"), "left out by .dockerignore\n");
    await writeFile(path.join(context, ".dockerignore"), "notes.txt\n");
    const socketPath = path.join(dir, "docker.sock");
    const engine = await startEngine(socketPath);
    const sshPort = await freePort();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        // docker-modem's ssh:// path warns of Node's deprecated url.parse, bundled or not.
        ["--no-deprecation", path.join(out, "entry.mjs"), socketPath, context, String(sshPort)],
        { timeout: 30_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
      ),
    ).finally(() => engine.close());
    expect(stderr).toBe("");
    const result = JSON.parse(stdout);
    expect(result.before).toEqual([]);
    expect(result.afterBuild.some((file: string) => file.includes("/node_modules/@grpc/grpc-js/"))).toBe(true);
    // dockerode's own tar-fs 2, not the project's tar-fs 3.
    expect(
      result.afterBuild.some((file: string) => file.includes("/node_modules/dockerode/node_modules/tar-fs/")),
    ).toBe(true);
    expect(result.afterSsh.some((file: string) => file.includes("/node_modules/ssh2/"))).toBe(true);
    expect(result.ssh).toBe("ECONNREFUSED");
    expect(result.output).toBe('{"stream":"built"}\n');

    const [session, build] = engine.received;
    expect(session).toMatchObject({ method: "POST", url: "/session" });
    expect(build?.method).toBe("POST");
    const query = new URL(build!.url, "http://engine").searchParams;
    expect(query.get("session")).toBe(session!.headers["x-docker-expose-session-uuid"]);
    expect(query.get("t")).toBe("lazy:1");
    const tar = gunzipSync(build!.body).toString("latin1");
    expect(tar).toContain("Dockerfile");
    expect(tar).toContain("FROM scratch\n");
    expect(tar).not.toContain("notes.txt");
  });
});
