import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateWorkload } from "@/lib/evaluate";
import { readInputs } from "@/lib/manifests/read";
import { isPssCorpusPresent, PSS_CORPUS_DIR } from "@/lib/pss/testing/pss-corpus";
import { run } from "./commands/fix";
import { runCommand } from "./testing/run-command";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const REALISTIC = path.resolve(import.meta.dirname, "../manifests/testdata/realistic");
const fix = (...argv: string[]) => runCommand(run, argv);
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function copyOf(from: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-fix-"));
  made.push(dir);
  await cp(from, dir, { recursive: true });
  return dir;
}

/** `source kind/name container check` → status, and which failures carry a fix a file edit can make. */
async function judge(dir: string) {
  const read = await readInputs([dir]);
  const statuses = new Map<string, string>();
  const writable = new Set<string>();
  for (const input of read.workloads) {
    const evaluation = evaluateWorkload(input);
    for (const container of evaluation.containers) {
      for (const result of container.checks) {
        const key = `${input.source} ${input.workload.kind}/${input.workload.name} ${container.name} ${result.checkId}`;
        statuses.set(key, result.status);
        const text = `${result.remediation?.kubernetesPatch ?? ""}${result.remediation?.kubernetesManifest ?? ""}`;
        if (result.status === "fail" && input.workload.platform === "kubernetes" && text && !text.includes("<digest>"))
          writable.add(key);
      }
    }
  }
  return { statuses, writable, errors: read.errors };
}

const tally: Record<string, { files: number; closed: number }> = {};
afterAll(() => console.info(`rampart fix --write, then rampart scan: ${JSON.stringify(tally)}`));

async function proveWrite(name: string, dir: string): Promise<void> {
  const before = await judge(dir);
  expect(before.errors).toEqual([]);
  const { code, stderr } = await fix("--write", dir);
  expect(code, stderr).toBeLessThanOrEqual(1);
  const after = await judge(dir);
  expect(after.errors).toEqual([]);
  const notClosed = [...before.writable].filter((key) => after.statuses.get(key) !== "pass");
  const broken = [...before.statuses].filter(([key, s]) => s === "pass" && after.statuses.get(key) !== "pass");
  expect(notClosed).toEqual([]);
  expect(broken).toEqual([]);
  expect(before.writable.size).toBeGreaterThan(0);
  // What is left failing is exactly what the command listed as beyond a file edit.
  const left = [...after.statuses].filter(([key, s]) => s === "fail" && key.split(" ")[1]?.includes("/"));
  for (const [key] of left) expect(stderr).toContain(key.split(" ").slice(1, 4).join(" "));
  tally[name] = {
    files: stderr.split("\n").filter((line) => line.startsWith("fixed ")).length,
    closed: before.writable.size,
  };
}

describe("rampart fix --write closes every fixable failure, and re-scanning shows it", () => {
  it("on the realistic manifests", async () => {
    const dir = await copyOf(REALISTIC);
    await rm(path.join(dir, "docker-inspect-compose.json"));
    await proveWrite("realistic", dir);
  });

  it.runIf(isPssCorpusPresent())("on the Pod Security fixtures", async () => {
    const dir = await copyOf(PSS_CORPUS_DIR);
    await rm(path.join(dir, "expected.json"));
    await rm(path.join(dir, "README.md"));
    await proveWrite("pss", dir);
  });
});

describe("rampart fix on a commented manifest", () => {
  const file = path.join(TESTDATA, "fix", "commented.yaml");

  it("changes only the lines of the fix: one check, one added line per container", async () => {
    const { code, stdout } = await fix("--diff", "--check", "read-only-root-filesystem", file);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `--- ${file}`,
        `+++ ${file}`,
        "@@ -28,12 +28,14 @@",
        "           capabilities: {drop: [ALL]}",
        "           seccompProfile:",
        "             type: RuntimeDefault",
        "+          readOnlyRootFilesystem: true",
        "         resources:",
        "           limits: {cpu: 500m, memory: 256Mi}",
        '       - name: "log-shipper"',
        "         image: 'ghcr.io/acme/shipper@sha256:c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3'",
        "         securityContext:",
        "           privileged: true   # FIXME: only while debugging",
        "+          readOnlyRootFilesystem: true",
        " ---",
        " # The policy that admits only the ingress controller.",
        " apiVersion: networking.k8s.io/v1",
        "",
      ].join("\n"),
    );
  });

  it("keeps every comment, quote and flow list when it fixes everything, and prints the fixed file", async () => {
    const original = (await readFile(file, "utf8")).split("\n");
    const { code, stdout } = await fix(file);
    expect(code).toBe(0);
    const fixed = stdout.split("\n");
    // The one line whose value changes keeps its comment; every other line of the file is still there.
    expect(original.filter((line) => !fixed.includes(line))).toEqual([
      "          privileged: true   # FIXME: only while debugging",
    ]);
    expect(fixed).toContain("          privileged: false   # FIXME: only while debugging");
    expect(fixed.length - original.length, "13 lines added for the sidecar and the api").toBe(13);
    const { stdout: again } = await fix("--diff", await writeTemp(stdout));
    expect(again, "a fixed file needs no more fixing").toBe("");
  });
});

async function writeTemp(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-fix-"));
  made.push(dir);
  const file = path.join(dir, "fixed.yaml");
  await writeFile(file, text);
  return file;
}

describe("rampart fix exit codes", () => {
  it("0 with nothing printed when nothing needs fixing", async () => {
    expect(await fix(path.join(TESTDATA, "clean"))).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("1 when a failure no file edit can fix remains, listed on stderr", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rampart-fix-"));
    made.push(dir);
    const manifest = (await readFile(path.join(TESTDATA, "fix", "commented.yaml"), "utf8")).replace(
      /"ghcr\.io\/acme\/checkout@sha256:[0-9a-f]+"/,
      "ghcr.io/acme/checkout:2.1",
    );
    await writeFile(path.join(dir, "app.yaml"), manifest);
    const { code, stdout, stderr } = await fix(dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Deployment\/checkout api image-pinned-by-digest/);
    expect(stdout).toContain("readOnlyRootFilesystem: true");
    expect(stdout).not.toContain("<digest>");
  });

  it("2 on bad input, an unknown check, or --diff with --write", async () => {
    expect((await fix(path.join(TESTDATA, "malformed"))).code).toBe(2);
    expect((await fix("--check", "no-such-check", TESTDATA)).code).toBe(2);
    expect((await fix("--diff", "--write", TESTDATA)).code).toBe(2);
    expect((await fix()).code).toBe(2);
  });
});

describe("rampart fix on a Dockerfile and secrets in diffs", () => {
  it("replaces USER root and removes the secret ARG without printing its value; an unpinned FROM is listed", async () => {
    const dir = await copyOf(path.join(TESTDATA, "fix-dockerfile"));
    const diff = await fix("--diff", dir);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain("-USER root\n+USER 10001:10001\n");
    expect(diff.stdout).toContain("-ARG API_KEY=<value not shown>\n");
    expect(`${diff.stdout}${diff.stderr}`).not.toContain("planted-dockerfile-secret");
    expect(diff.stderr).toMatch(/Dockerfile .* image-pinned-by-digest: FROM golang:1\.22/);
    expect((await fix("--write", dir)).code).toBe(1);
    const after = (await judge(dir)).statuses;
    const statusOf = (checkId: string) => [...after].find(([key]) => key.endsWith(` ${checkId}`))?.[1];
    expect(statusOf("run-as-non-root")).toBe("pass");
    expect(statusOf("no-secrets-in-image")).toBe("pass");
    expect(statusOf("image-pinned-by-digest")).toBe("fail");
  });

  it("shows a removed Kubernetes env value as not shown", async () => {
    const { stdout } = await fix(
      "--diff",
      path.resolve(import.meta.dirname, "../remediation/testdata/job-credentials.yaml"),
    );
    expect(stdout).toContain("-              value: <value not shown>");
    expect(stdout).not.toContain("AKIAZZZZ");
    expect(stdout).not.toContain("not-a-real-pass");
  });
});
