import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as runScan } from "./commands/scan";
import { listCommands } from "./main";
import { scanOutputSchema } from "./output/schema";
import { runCommand } from "./testing/run-command";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "lib/cli/bin.mjs");
const BAD = path.join("lib", "cli", "testdata", "bad");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let outDir: string;

/** bin.mjs as a user runs it (no RAMPART_TSX), with its compiled output in a folder of this test. */
function rampart(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, RAMPART_CLI_OUT: outDir };
  delete env.RAMPART_TSX;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function readStamp(): Promise<{ build: string; startedAt: number; inputs: string[] }> {
  return JSON.parse(await readFile(path.join(outDir, "stamp.json"), "utf8"));
}

beforeAll(async () => {
  // Inside the project: the bundle's external packages resolve from its node_modules.
  await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
  outDir = await mkdtemp(path.join(ROOT, ".tmp", "cli-"));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("the compiled CLI", () => {
  it("compiles on first use, then runs the bundle as it is", async () => {
    const first = await rampart("--help");
    expect(first.stderr).toContain("compiling the CLI");
    expect(first.stderr).not.toContain("tsx");
    expect(first.code).toBe(0);
    for (const name of listCommands()) expect(first.stdout).toMatch(new RegExp(`^  ${name} `, "m"));

    const stamp = await readStamp();
    expect(existsSync(path.join(outDir, stamp.build, "main.mjs"))).toBe(true);
    expect(stamp.inputs).toContain("lib/cli/main.ts");
    expect(stamp.inputs).toContain("lib/cli/commands/scan.ts");
    expect(stamp.inputs.filter((input) => input.endsWith(".test.ts"))).toEqual([]);
    // Packages the bundle holds (bundled-packages.mjs): reinstalling one makes it stale.
    expect(stamp.inputs).toContain("node_modules/dockerode/package.json");
    for (const input of stamp.inputs) expect(existsSync(path.join(ROOT, input)), input).toBe(true);
    // Prisma's query compiler is read from a file beside the bundle, not kept as base64 text in memory.
    const files = await readdir(path.join(outDir, stamp.build));
    expect(files).toContain("query_compiler_fast_bg.postgresql.wasm");
    const chunks = await Promise.all(
      files.filter((f) => f.endsWith(".mjs")).map((f) => readFile(path.join(outDir, stamp.build, f), "utf8")),
    );
    expect(chunks.filter((text) => text.includes("wasm-base64"))).toEqual([]);

    const second = await rampart("--help");
    expect(second).toEqual({ code: 0, stdout: first.stdout, stderr: "" });
  });

  it("prints the same scan JSON as the TypeScript sources", async () => {
    const compiled = await rampart("scan", "--format", "json", BAD);
    const sources = await runCommand(runScan, ["--format", "json", BAD]);
    expect(compiled.stderr).toBe("skipped kinds: ConfigMap 1\n");
    expect(compiled.stderr).toBe(sources.stderr);
    expect(compiled.code).toBe(1);
    expect(sources.code).toBe(1);
    const output = scanOutputSchema.parse(JSON.parse(compiled.stdout));
    expect(output.tool.version).toBe(JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")).version);
    expect(output.summary.failed).toBeGreaterThan(0);
    expect(output.results.map((result) => result.source)).toContain(`${BAD}/debug-pod.yaml#1`);
    expect(output).toEqual(JSON.parse(sources.stdout));
  });

  it("compiles again when a source is newer than the build, keeping the previous build for running processes", async () => {
    const before = await readStamp();
    await writeFile(path.join(outDir, "stamp.json"), JSON.stringify({ ...before, startedAt: 0 }));
    const rerun = await rampart("--help");
    expect(rerun.stderr).toContain("compiling the CLI");
    const after = await readStamp();
    expect(after.build).not.toBe(before.build);
    expect((await readdir(outDir)).sort()).toEqual([before.build, after.build, "stamp.json"].sort());
  });
});

describe("command registry", () => {
  it("lists every command file of lib/cli/commands", async () => {
    const files = await readdir(path.join(ROOT, "lib", "cli", "commands"));
    const commands = files.filter((f) => f.endsWith(".ts") && !f.includes(".test.")).map((f) => f.slice(0, -3));
    expect(listCommands()).toEqual(commands.sort());
  });
});
