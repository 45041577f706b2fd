import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "./commands/scan";
import { scanOutputSchema, type ScanOutput } from "./output/schema";
import type { SarifLog } from "./output/sarif";
import { runCommand, type CommandOutput } from "./testing/run-command";

const MEDIUM = path.join(import.meta.dirname, "testdata/medium/writable-root.yaml");

const scan = (...argv: string[]): Promise<CommandOutput> => runCommand(run, argv);

function failing(output: ScanOutput): string[] {
  return output.results.flatMap((result) =>
    result.containers.flatMap((container) =>
      container.checks
        .filter((check) => check.status === "fail" && !check.excepted)
        .map((check) => `${result.workload.name}/${container.name}/${check.id}`),
    ),
  );
}

describe("rampart scan --baseline", () => {
  let dir: string;
  let manifest: string;
  let baselineFile: string;
  let original: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rampart-baseline-"));
    manifest = path.join(dir, "app.yaml");
    baselineFile = path.join(dir, "baseline.json");
    original = await readFile(MEDIUM, "utf8");
    await writeFile(manifest, original);
    const { code } = await scan(manifest, "--format", "json", "--output", baselineFile);
    expect(code).toBe(1);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("ignores failures the baseline holds, at any --fail-on and --level", async () => {
    const baseline = scanOutputSchema.parse(JSON.parse(await readFile(baselineFile, "utf8")));
    expect(failing(baseline).length).toBeGreaterThan(0);

    const again = await scan(manifest, "--baseline", baselineFile, "--level", "restricted");
    const levelFailures = baseline.results.filter((result) => result.podSecurity?.restricted.allowed === false);
    expect(levelFailures).toHaveLength(1);
    const known = failing(baseline).length + levelFailures.length;
    expect(again.stderr).toContain(`baseline: ${known} failing in the baseline too`);
    expect(again.stderr).toContain(", 0 new");
    expect(again.code).toBe(0);
    expect((await scan(manifest, "--level", "restricted")).code).toBe(1);
  });

  it("fails on a finding the baseline does not hold, and SARIF marks exactly those new", async () => {
    await writeFile(manifest, original.replace("allowPrivilegeEscalation: false", "privileged: true"));
    const now = scanOutputSchema.parse(JSON.parse((await scan(manifest, "--format", "json")).stdout));
    const before = new Set(failing(scanOutputSchema.parse(JSON.parse(await readFile(baselineFile, "utf8")))));
    const added = failing(now).filter((key) => !before.has(key));
    expect(added).toContain("worker/worker/not-privileged");

    const gated = await scan(manifest, "--baseline", baselineFile, "--format", "sarif");
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain(`, ${added.length} new`);
    const sarif = JSON.parse(gated.stdout) as SarifLog & {
      runs: { results: { ruleId: string; baselineState: string }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    const fresh = results.filter((result) => result.baselineState === "new").map((result) => result.ruleId);
    expect(fresh.sort()).toEqual(added.map((key) => key.split("/")[2]).sort());
    expect(results.filter((result) => result.baselineState === "unchanged")).toHaveLength(before.size);
  });

  it("treats the same workload in another namespace as new", async () => {
    await writeFile(manifest, original.replace("namespace: secure", "namespace: other"));
    const gated = await scan(manifest, "--baseline", baselineFile);
    expect(gated.stderr).toContain("0 failing in the baseline too");
    expect(gated.code).toBe(1);
  });

  it.each([
    ["not JSON", "{ this is not json", /is not JSON/],
    ["a SARIF log", JSON.stringify({ version: "2.1.0", runs: [] }), /tool: .*expected rampart scan --format json/],
    [
      "a wrong type",
      JSON.stringify({ tool: { name: "rampart", version: "1" }, results: "all", summary: {} }),
      /results: .*expected rampart scan --format json/,
    ],
  ])("exits 2 on a baseline that is %s, naming the file", async (_, text, message) => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, text);
    const { code, stderr, stdout } = await scan(manifest, "--baseline", bad);
    expect(stderr).toContain(`--baseline ${bad}: `);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });

  it("exits 2 on a missing baseline or a directory", async () => {
    const missing = await scan(manifest, "--baseline", path.join(dir, "nope.json"));
    expect(missing.stderr).toMatch(/nope\.json: cannot read the baseline \(ENOENT\)/);
    expect(missing.code).toBe(2);
    const folder = await scan(manifest, "--baseline", dir);
    expect(folder.stderr).toMatch(/cannot read the baseline/);
    expect(folder.code).toBe(2);
  });
});
