import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger, formatLine, isJsonLogging, type Level } from "@/lib/log";
import { assertPortFree, isListeningOn } from "../listener";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const EXIT_WITH_PARENT = fileURLToPath(new URL("../exit-with-parent.mjs", import.meta.url));

const WEB_HELP = `Usage: rampart web [--port <n>] [--host <addr>]

The dashboard alone (next start) against DATABASE_URL, for running web and worker processes apart.
Builds the app first when no build exists. Run \`rampart migrate\` before the first start.

Options:
  --port <n>     port of the dashboard (default: PORT, else 3000)
  --host <addr>  address to listen on (default: HOST, else 127.0.0.1)

Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when the web server fails, 2 on bad usage.`;

export interface WebOptions {
  port: number;
  host: string;
}

/** Parses --port/--host (falling back to PORT/HOST); returns a message on bad usage. */
export function parseWebOptions(argv: string[]): WebOptions | { help: true } | { error: string } {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { error: "--port must be a number from 0 to 65535" };
  return { port, host: values.host ?? process.env.HOST ?? "127.0.0.1" };
}

function runToEnd(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Runs `next build` when there is no production build yet, so a fresh checkout starts with one command. */
export async function ensureBuild(): Promise<boolean> {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return true;
  console.log("rampart: no production build found, building the dashboard first (next build, about a minute)…");
  const code = await runToEnd(spawn(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: "inherit" }));
  if (code !== 0) console.error(`rampart: next build failed with exit code ${code}`);
  return code === 0;
}

/**
 * `next start` as a child that exits when this process dies, however it dies: it reads the end of its stdin,
 * a pipe this process holds (lib/cli/exit-with-parent.mjs).
 */
export function startNext(options: WebOptions, databaseUrl: string): ChildProcess {
  const args = ["--import", EXIT_WITH_PARENT, NEXT_BIN, "start", "--port", String(options.port)];
  args.push("--hostname", options.host);
  const json = isJsonLogging();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["pipe", json ? "pipe" : "inherit", json ? "pipe" : "inherit"],
    // The child runs in the repository root: resolve the data folder (key file) against the caller's cwd.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      RAMPART_DATA_DIR: path.resolve(process.env.RAMPART_DATA_DIR || "data"),
    },
  });
  if (json && child.stdout && child.stderr) {
    relayAsJson(child.stdout, process.stdout, "info");
    relayAsJson(child.stderr, process.stderr, "error");
  }
  return child;
}

/** Next's own lines become JSON log lines too; lines that already are JSON objects (Rampart's) pass unchanged. */
function relayAsJson(from: Readable, to: Writable, level: Level): void {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
    const text = line.trim();
    if (text === "") return;
    to.write(`${text.startsWith("{") && text.endsWith("}") ? text : formatLine("next", level, text, {}, true)}\n`);
  });
}

function displayUrl({ host, port }: WebOptions): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

/** Resolves once the web server answers any HTTP request, or rejects when the child exits first. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the web server exited during start");
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the web server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** Resolves with the signal name or the child's exit, whichever comes first. */
export function waitForStop(child: ChildProcess): Promise<{ signal: NodeJS.Signals } | { exitCode: number }> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => resolve({ signal });
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    child.once("exit", (code) => resolve({ exitCode: code ?? 1 }));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = runToEnd(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Once the child answers HTTP on the port and is the process listening there (not an earlier server). */
export async function webUrlOnceReady(options: WebOptions, child: ChildProcess): Promise<string> {
  const url = displayUrl(options);
  await waitForHttp(`${url}/`, child);
  if (child.pid !== undefined && (await isListeningOn(child.pid, options.port)) === false)
    throw new Error(`another process answers on ${url}, not this web server`);
  return url;
}

export async function run(argv: string[]): Promise<number> {
  const options = parseWebOptions(argv);
  if ("help" in options) return (console.log(WEB_HELP), 0);
  if ("error" in options) return (console.error(`rampart web: ${options.error}`), 2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return (console.error("rampart web: set DATABASE_URL to a postgresql:// URL"), 2);
  if (!(await ensureBuild())) return 1;
  try {
    await assertPortFree(options.host, options.port);
  } catch (error) {
    return (console.error(`rampart web: ${(error as Error).message}`), 1);
  }
  const log = createLogger("web");
  const web = startNext(options, databaseUrl);
  const stopped = waitForStop(web);
  try {
    const url = await webUrlOnceReady(options, web);
    log.info(`dashboard ready at ${url}`, { url });
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    await stopChild(web);
    return 1;
  }
  const reason = await stopped;
  await stopChild(web);
  return "signal" in reason ? 0 : 1;
}
