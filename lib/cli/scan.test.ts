import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHECKS } from "@/lib/checks/registry";
import { SEVERITY_WEIGHT } from "@/lib/domain/severity";
import { containerScore, scopeScore } from "@/lib/scoring";
import { runCommand, type CommandOutput } from "./testing/run-command";
import { run } from "./commands/scan";
import { main } from "./main";
import { scanOutputSchema, type ScanOutput } from "./output/schema";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TESTDATA = path.join(import.meta.dirname, "testdata");
const REALISTIC = path.join(ROOT, "lib/manifests/testdata/realistic");
const PLANTED = ["planted-Secret-Value-9f8e7d", "AKIAPLANTED000000XYZ", "ghp_plantedTokenValue0123456789abcdefABCD"];
const BIN = path.join(ROOT, "lib/cli/bin.mjs");

type Captured = CommandOutput;

const scan = (...argv: string[]): Promise<CommandOutput> => runCommand(run, argv);

async function scanJson(...argv: string[]): Promise<Captured & { output: ScanOutput }> {
  const captured = await scan("--format", "json", ...argv);
  return { ...captured, output: scanOutputSchema.parse(JSON.parse(captured.stdout)) };
}

function expectNoPlantedSecret(text: string): void {
  for (const secret of PLANTED) expect(text).not.toContain(secret);
}

function expectConsistent(output: ScanOutput): void {
  const ids = CHECKS.map((check) => check.id);
  const containers = output.results.flatMap((result) => result.containers);
  const exact: (number | null)[] = [];
  let failed = 0;
  for (const container of containers) {
    expect(container.checks.map((check) => check.id)).toEqual(ids);
    const scored = container.checks.map((check) => ({ ...check, checkId: check.id }));
    const score = containerScore(scored);
    // Recompute with the CHECKS.md formula by hand as well, not only through lib/scoring.
    const judged = container.checks.filter((c) => (c.status === "pass" || c.status === "fail") && !c.excepted);
    const weight = (list: typeof judged) => list.reduce((sum, c) => sum + SEVERITY_WEIGHT[c.severity], 0);
    const byHand =
      judged.length === 0 ? null : (100 * weight(judged.filter((c) => c.status === "pass"))) / weight(judged);
    expect(score).toBe(byHand);
    expect(container.score).toBe(score === null ? null : Math.round(score));
    exact.push(score);
    failed += judged.filter((c) => c.status === "fail").length;
  }
  const mean = scopeScore(exact);
  expect(output.summary).toEqual({
    workloads: output.results.length,
    containers: containers.length,
    failed,
    score: mean === null ? null : Math.round(mean),
  });
}

describe("rampart scan, in process", () => {
  it("passes a hardened workload and exits 0", async () => {
    const { code, output, stderr } = await scanJson(path.join(TESTDATA, "clean"));
    expect(stderr).not.toContain("hardened.yaml");
    expect(output.summary.failed).toBe(0);
    expect(output.summary.score).toBe(100);
    expect(output.results[0]?.remediation, "nothing to fix, no combined fix").toBeUndefined();
    expect(output.results[0]?.podSecurity?.restricted).toEqual({ allowed: true, violations: [] });
    expect(output.results[0]?.source).toMatch(/hardened\.yaml#0$/);
    expectConsistent(output);
    expect(code).toBe(0);
  });

  it("gates on --fail-on severity and --level", async () => {
    const medium = path.join(TESTDATA, "medium");
    const { output } = await scanJson(medium);
    const failing = output.results.flatMap((r) =>
      r.containers.flatMap((c) => c.checks.filter((k) => k.status === "fail")),
    );
    expect(failing.map((k) => k.id).sort()).toEqual(["read-only-root-filesystem", "seccomp-profile"]);
    expect(failing.every((k) => k.remediation?.summary)).toBe(true);
    expect(output.results[0]?.remediation).toMatchObject({
      closes: expect.arrayContaining([expect.stringMatching(/ read-only-root-filesystem$/)]),
      kubectl: expect.stringMatching(/^kubectl patch /),
    });
    expect((await scan("--fail-on", "medium", medium)).code).toBe(1);
    expect((await scan("--fail-on", "high", medium)).code).toBe(0);
    expect((await scan("--fail-on", "high", "--level", "baseline", medium)).code).toBe(0);
    expect((await scan("--fail-on", "high", "--level", "restricted", medium)).code).toBe(1);
  });

  it("reports failures, exemptions, skipped kinds and Docker containers", async () => {
    const { code, output, stderr } = await scanJson("--fail-on", "critical", path.join(TESTDATA, "bad"));
    expect(code).toBe(1);
    expectConsistent(output);
    expect(output.results.map((r) => `${r.platform}:${r.workload.kind}:${r.workload.name}`).sort()).toEqual([
      "docker:Container:legacy-web",
      "kubernetes:Pod:debug",
    ]);
    const pod = output.results.find((r) => r.platform === "kubernetes");
    expect(pod?.podSecurity?.baseline.violations).toEqual(expect.arrayContaining(["hostNamespaces", "privileged"]));
    const shell = pod?.containers.find((c) => c.name === "shell");
    expect(shell?.checks.find((c) => c.id === "not-privileged")?.status).toBe("fail");
    expect(shell?.checks.find((c) => c.id === "resource-limits")).toMatchObject({
      status: "fail",
      excepted: { source: "annotation", reason: "debug pod, deleted after use" },
    });
    expect(shell?.checks.find((c) => c.id === "secrets-from-secret-store")?.status).toBe("fail");
    expect(output.results.find((r) => r.platform === "docker")?.podSecurity).toBeUndefined();
    expect(stderr).toContain("ConfigMap 1");
    expectNoPlantedSecret(JSON.stringify(output) + stderr);
  });

  it("prints a table for people without secret values", async () => {
    const { code, stdout } = await scan(path.join(TESTDATA, "bad"));
    expect(code).toBe(1);
    expect(stdout).toContain("Pod legacy/debug");
    expect(stdout).toMatch(/CRITICAL\s+not-privileged\s+FAIL/);
    expect(stdout).toMatch(/resource-limits\s+excepted \(annotation: debug pod, deleted after use\)/);
    expect(stdout).toContain("fix: ");
    expect(stdout).toMatch(/Pod Security: baseline DENIED \(.*privileged/);
    expect(stdout).toMatch(/Summary: 2 workloads, 3 containers, \d+ failing checks \(\+2 excepted\), score \d+/);
    expect(stdout).toContain("Skipped kinds: ConfigMap 1");
    expectNoPlantedSecret(stdout);
  });

  it("exits 2 on unreadable input, naming file, document and field, after printing the good documents", async () => {
    const { code, stdout, stderr } = await scan("--format", "json", path.join(TESTDATA, "malformed"));
    expect(code).toBe(2);
    const output = scanOutputSchema.parse(JSON.parse(stdout));
    expect(output.results.map((r) => r.workload.name)).toEqual(["good"]);
    expect(stderr).toMatch(/mixed\.yaml#1: [^\n]*runAsUser[^\n]*: /);
    expect(stderr).toMatch(/truncated\.json[^\n]*: /);
    expectNoPlantedSecret(stdout + stderr);
  });

  it("exits 2 on bad usage and missing files", async () => {
    expect((await scan()).code).toBe(2);
    expect((await scan("--format", "xml", TESTDATA)).code).toBe(2);
    expect((await scan("--fail-on", "severe", TESTDATA)).code).toBe(2);
    expect((await scan("--bogus", TESTDATA)).code).toBe(2);
    const unwritable = await scan(
      "--output",
      path.join(TESTDATA, "no-such-dir", "out.json"),
      path.join(TESTDATA, "clean"),
    );
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain("cannot write");
    const missing = await scan(path.join(TESTDATA, "does-not-exist.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does-not-exist.yaml");
  });

  it("scans the realistic manifests consistently", async () => {
    const { code, output } = await scanJson(REALISTIC);
    expect(output.results.length).toBeGreaterThan(0);
    expectConsistent(output);
    const hasBlockingFailure = output.results.some((r) =>
      r.containers.some((c) => c.checks.some((k) => k.status === "fail" && !k.excepted)),
    );
    expect(code).toBe(hasBlockingFailure ? 1 : 0);
  });
});

describe("rampart scan --output and SARIF", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rampart-scan-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a SARIF log GitHub code scanning accepts", async () => {
    const file = path.join(dir, "out.sarif");
    const { code, stdout } = await scan(
      "--format",
      "sarif",
      "--output",
      file,
      path.join(TESTDATA, "bad"),
      path.join(TESTDATA, "clean"),
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const text = await readFile(file, "utf8");
    expectNoPlantedSecret(text);
    const sarif = JSON.parse(text);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif/);
    expect(sarif.runs).toHaveLength(1);
    const { driver } = sarif.runs[0].tool;
    expect(driver.name).toBe("rampart");
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(CHECKS.map((c) => c.id));
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.fullDescription.text).toBeTruthy();
      expect(rule.help.text).toContain("Remediation:");
      expect(rule.help.markdown).toContain("**Remediation:**");
      expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
      expect(Array.isArray(rule.properties.tags)).toBe(true);
    }
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    const fingerprints = new Set<string>();
    for (const result of results) {
      expect(driver.rules.some((r: { id: string }) => r.id === result.ruleId)).toBe(true);
      expect(["error", "warning", "note"]).toContain(result.level);
      expect(result.message.text).toBeTruthy();
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).toMatch(/^lib\/cli\/testdata\/bad\/(debug-pod\.yaml|inspect\.json)$/);
      expect(location.region.startLine).toBeGreaterThanOrEqual(1);
      const value = Object.values(result.partialFingerprints)[0] as string;
      fingerprints.add(value);
    }
    expect(fingerprints.size).toBe(results.length);
    const privileged = results.find(
      (r: { ruleId: string; message: { text: string } }) =>
        r.ruleId === "not-privileged" && r.message.text.includes("shell"),
    );
    // The shell container starts on line 19 of debug-pod.yaml (its second document).
    expect(privileged.locations[0].physicalLocation.region.startLine).toBe(19);
    expect(privileged.level).toBe("error");
    expect(
      results.find(
        (r: { ruleId: string; suppressions?: unknown[] }) => r.ruleId === "resource-limits" && r.suppressions,
      ),
    ).toBeDefined();
  });
});

describe("rampart entry point", () => {
  it("lists the commands and rejects unknown ones", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["--help"])).toBe(0);
      expect(String(out.mock.calls.map((c) => c[0]).join(""))).toMatch(/^\s+scan\s/m);
      expect(await main(["frobnicate"])).toBe(2);
      expect(String(err.mock.calls.map((c) => c[0]).join(""))).toContain('unknown command "frobnicate"');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it("runs as a child process from another working directory", async () => {
    const exec = promisify(execFile);
    const args = [BIN, "scan", "--format", "json", path.join(TESTDATA, "bad")];
    const failure = await exec("node", args, { cwd: os.tmpdir() }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect("code" in failure ? failure.code : 0).toBe(1);
    const output = scanOutputSchema.parse(JSON.parse(failure.stdout));
    const version = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")).version;
    expect(output.tool).toEqual({ name: "rampart", version });
    expectConsistent(output);
    expectNoPlantedSecret(failure.stdout + failure.stderr);
    const clean = await exec("node", [BIN, "scan", "--format", "sarif", path.join(TESTDATA, "clean")], {
      cwd: os.tmpdir(),
    });
    expect(JSON.parse(clean.stdout).runs[0].results).toEqual([]);
  });
});
