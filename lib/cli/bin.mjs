#!/usr/bin/env node
// Runs the compiled CLI (dist/cli, built by lib/cli/build.mjs), compiling it first when a source is newer than the
// build. RAMPART_TSX=1 runs the TypeScript sources through tsx instead (development), as does a failed build.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const OUT = process.env.RAMPART_CLI_OUT ? path.resolve(process.env.RAMPART_CLI_OUT) : undefined;

/** A line on stderr, as a JSON log line under RAMPART_LOG_FORMAT=json (lib/log.ts). */
function note(level, msg) {
  const json = process.env.RAMPART_LOG_FORMAT?.toLowerCase() === "json";
  const line = json
    ? JSON.stringify({ time: new Date().toISOString(), level, component: "cli", msg })
    : `rampart: ${msg}`;
  process.stderr.write(`${line}\n`);
}

async function compiledEntry() {
  const { buildCli, freshEntry, readStamp, DEFAULT_OUT } = await import("./build.mjs");
  const outDir = OUT ?? DEFAULT_OUT;
  const fresh = freshEntry(outDir);
  if (fresh) return fresh;
  const why = readStamp(outDir) ? "a source changed since the last build" : "first run";
  note("info", `compiling the CLI into ${path.relative(process.cwd(), outDir) || "."} (${why})…`);
  try {
    return await buildCli(outDir, { ifStale: true });
  } catch (error) {
    const first = error?.errors?.[0];
    const reason = first ? `${first.location?.file ?? ""}:${first.location?.line ?? ""}: ${first.text}` : String(error);
    note("warn", `cannot compile the CLI (${reason}); running the TypeScript sources through tsx`);
    return undefined;
  }
}

async function loadMain() {
  const entry = process.env.RAMPART_TSX === "1" ? undefined : await compiledEntry();
  if (entry) return (await import(pathToFileURL(entry).href)).main;
  const { register } = await import("tsx/esm/api");
  // The project's tsconfig gives the `@/` alias whatever the cwd.
  register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
  return (await import("./main.ts")).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
