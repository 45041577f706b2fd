import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDockerProxy } from "@/e2e/support/docker-proxy";
import { canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";
import { collectTarget } from "@/lib/collectors/collect-target";
import { run as runCollect } from "@/lib/cli/commands/collect";
import { runCommand, type CommandOutput } from "@/lib/cli/testing/run-command";
import { dockerCollector } from "./index";
import {
  buildFleetImages,
  fleetCases,
  PLANTED,
  runCase,
  runFleet,
  type FleetCase,
  type FleetImages,
} from "./testing/fleet";

const enabled = canRunDockerd();
const BIN = fileURLToPath(new URL("../../cli/bin.mjs", import.meta.url));
const RECORDER = fileURLToPath(new URL("../../cli/testing/record-loaded-modules.mjs", import.meta.url));
/** What only dockerode's buildImage (BuildKit's gRPC session, tar-fs) or ssh:// engines (ssh2) need. */
const NOT_FOR_COLLECT = /\/node_modules\/(@grpc\/|@protobufjs\/|protobufjs\/|tar-fs\/|ssh2\/|dockerode\/lib\/session)/;

/**
 * Fixed by rebuilding or re-pinning the image, not by `docker run` flags; network-isolation's fix
 * needs a user-defined network, and test containers run only with --network none or host.
 */
const NOT_BY_FLAGS = new Set([
  "no-secrets-in-image",
  "image-pinned-by-digest",
  "image-tag-not-mutable",
  "network-isolation",
]);

function unixTarget(engine: PrivateDockerd): TargetConnection {
  return { name: "local", platform: "docker", url: engine.url, settings: { includeStopped: true }, credentials: {} };
}

function tlsTarget(engine: PrivateDockerd): TargetConnection {
  const tls = engine.tls!;
  return {
    name: "tls",
    platform: "docker",
    url: tls.url,
    settings: { includeStopped: true },
    credentials: { tlsCa: tls.files.ca, tlsCert: tls.files.clientCert, tlsKey: tls.files.clientKey },
  };
}

async function collect(target: TargetConnection): Promise<{ workloads: WorkloadInput[]; report: CollectionReport }> {
  const report: CollectionReport = { warnings: [], complete: true };
  const workloads: WorkloadInput[] = [];
  for await (const workload of dockerCollector.listWorkloads(target, report, AbortSignal.timeout(60_000)))
    workloads.push(workload);
  return { workloads, report };
}

/** The compiled CLI (bin.mjs as a user runs it), with the CommonJS modules it loaded. */
async function compiledRampart(args: string[], dir: string): Promise<CommandOutput & { loaded: string[] }> {
  const list = path.join(dir, `loaded-${process.pid}-${Date.now()}.txt`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `--import ${RECORDER}`,
    RAMPART_TEST_LOADED_MODULES: list,
  };
  delete env.RAMPART_TSX;
  const output = await new Promise<CommandOutput>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const [heading, ...loaded] = (await readFile(list, "utf8")).split("\n").filter(Boolean);
  expect(heading).toBe("# CommonJS modules loaded");
  return { ...output, loaded };
}

/** A remediation mounts a secret file from `./secrets/…`; the test provides one without a real secret. */
async function writeSecretFile(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, "not-a-secret\n");
}

/** Docker spells one capability several ways (`SYS_ADMIN`, `CAP_SYS_ADMIN`, `sys_admin`). */
function normalizeFlag(flag: string): string {
  const cap = /^(--cap-(?:add|drop)=)(?:CAP_)?(.+)$/i.exec(flag);
  return cap ? `${cap[1]}${cap[2]!.toUpperCase().replace(/^CAP_/, "")}` : flag;
}

/** `--env=NAME` in a remediation names the variable only (never its value): it removes `--env=NAME=…`. */
function removes(removal: string, flag: string): boolean {
  if (normalizeFlag(flag) === normalizeFlag(removal)) return true;
  return removal.startsWith("--env=") && flag.startsWith(`${removal}=`);
}

async function drain(workloads: AsyncIterable<WorkloadInput>): Promise<void> {
  for await (const workload of workloads) void workload;
}

function byContainer(evaluations: WorkloadEvaluation[]): Map<string, Map<string, string>> {
  const map = new Map<string, Map<string, string>>();
  for (const evaluation of evaluations) {
    for (const container of evaluation.containers) {
      map.set(container.name, new Map(container.checks.map((check) => [check.checkId, check.status])));
    }
  }
  return map;
}

function statusesOf(evaluations: WorkloadEvaluation[], item: FleetCase): Record<string, string | undefined> {
  const checks = byContainer(evaluations).get(item.name);
  return Object.fromEntries(Object.keys(item.expect).map((id) => [id, checks?.get(id)]));
}

describe.skipIf(!enabled)("Docker collector against a private dockerd", () => {
  let engine: PrivateDockerd;
  let images: FleetImages;
  let cases: FleetCase[];

  beforeAll(async () => {
    engine = await startDockerd({ tls: true, registry: true });
    images = await buildFleetImages(engine);
    cases = fleetCases(engine.socket);
    await runFleet(engine, images, cases);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it.each([
    ["the unix socket", unixTarget],
    ["TCP with TLS client certificates", tlsTarget],
  ])("judges every planted container over %s", async (_, makeTarget) => {
    const { workloads, report } = await collect(makeTarget(engine));
    expect(report).toEqual({ warnings: [], complete: true });
    const evaluations = workloads.map((workload) => evaluateWorkload(workload));
    for (const item of cases)
      expect({ name: item.name, ...statusesOf(evaluations, item) }).toEqual({ name: item.name, ...item.expect });
  });

  it.each([
    ["the unix socket", (engine: PrivateDockerd) => [engine.url]],
    [
      "TCP with TLS client certificates",
      ({ tls }: PrivateDockerd) => {
        const { caFile, clientCertFile, clientKeyFile } = tls!.files;
        return [tls!.url, "--tls-ca", caFile, "--tls-cert", clientCertFile, "--tls-key", clientKeyFile];
      },
    ],
  ])(
    "the compiled CLI's bundled dockerode prints over %s what the sources print, loading no BuildKit session, tar-fs or ssh2",
    async (_, target) => {
      const args = ["collect", "--docker", ...target(engine), "--include-stopped", "--once", "--format", "json"];
      const compiled = await compiledRampart(args, engine.dir);
      const sources = await runCommand(runCollect, args.slice(1));
      expect(compiled.stderr).toBe(sources.stderr);
      expect(JSON.parse(compiled.stdout).summary.containers).toBe(cases.length);
      expect(compiled.stdout).toBe(sources.stdout);
      expect(compiled.code).toBe(sources.code);
      expect(compiled.loaded.filter((file) => NOT_FOR_COLLECT.test(file))).toEqual([]);
    },
  );

  it("groups Compose replicas into one service and keeps the URL as source", async () => {
    const { workloads } = await collect(unixTarget(engine));
    const web = workloads.find((workload) => workload.workload.kind === "ComposeService");
    expect(web?.workload).toEqual({ platform: "docker", kind: "ComposeService", namespace: "shop", name: "web" });
    expect(web?.containers.map((c) => c.name).sort()).toEqual(["shop-web-1", "shop-web-2"]);
    expect(new Set(workloads.map((workload) => workload.source))).toEqual(new Set([engine.url]));
    expect(workloads.length).toBe(cases.length - 1);
  });

  it("leaves stopped containers out unless includeStopped is set", async () => {
    const { workloads } = await collect({ ...unixTarget(engine), settings: {} });
    const names = workloads.flatMap((workload) => workload.containers.map((c) => c.name));
    expect(names).not.toContain("privileged");
    expect(names).toContain("hardened");
  });

  it("names secret variables in evidence without their values", async () => {
    const { workloads } = await collect(unixTarget(engine));
    const text = JSON.stringify(workloads.map((workload) => evaluateWorkload(workload)));
    expect(text).toMatch(/DB_PASSWORD/);
    expect(text).toMatch(/API_TOKEN/);
    for (const value of Object.values(PLANTED)) expect(text).not.toContain(value);
  });

  it("makes each failing check pass after recreating the container with the suggested docker run flags", async () => {
    const { workloads } = await collect(unixTarget(engine));
    const fixed: { name: string; checkId: string; flags: string[] }[] = [];
    for (const evaluation of workloads.map((workload) => evaluateWorkload(workload))) {
      for (const container of evaluation.containers) {
        const item = cases.find((c) => c.name === container.name)!;
        for (const check of container.checks) {
          const run = check.remediation?.dockerRun;
          if (check.status !== "fail" || item.expect[check.checkId] !== "fail" || NOT_BY_FLAGS.has(check.checkId))
            continue;
          if (!run || run.add.length + run.remove.length === 0) continue;
          fixed.push({
            name: item.name,
            checkId: check.checkId,
            flags: [...item.flags.filter((f) => !run.remove.some((r) => removes(r, f))), ...run.add],
          });
        }
      }
    }
    for (const checkId of [
      "not-privileged",
      "drop-all-capabilities",
      "run-as-non-root",
      "no-host-namespaces",
      "seccomp-profile",
      "no-privilege-escalation",
      "read-only-root-filesystem",
    ]) {
      expect(fixed.map((f) => f.checkId)).toContain(checkId);
    }
    for (let i = 0; i < fixed.length; i += 8) {
      const batch = fixed.slice(i, i + 8);
      await Promise.all(batch.map((fix, n) => recreate(fix, `fix-${i + n}`)));
      const { workloads: after } = await collect(unixTarget(engine));
      const statuses = byContainer(after.map((workload) => evaluateWorkload(workload)));
      for (const [n, fix] of batch.entries()) {
        expect({ fix, status: statuses.get(`fix-${i + n}`)?.get(fix.checkId) }).toEqual({ fix, status: "pass" });
      }
      await engine.docker(["rm", "-f", ...batch.map((_, n) => `fix-${i + n}`)]);
    }
  });

  async function recreate(fix: { name: string; flags: string[] }, name: string): Promise<void> {
    const item = cases.find((c) => c.name === fix.name)!;
    const createOnly = fix.flags.includes("--privileged");
    for (const flag of fix.flags) {
      const source = /^--(?:volume=|mount=.*\bsource=)\.\/([^:,]+)/.exec(flag)?.[1];
      if (source) await writeSecretFile(path.join(engine.dir, source));
    }
    await runCase(engine, images, { ...item, name, labels: undefined, createOnly }, fix.flags);
  }

  it("says what and where when Docker cannot be reached", async () => {
    const target = { ...unixTarget(engine), url: `unix://${engine.dir}/missing.sock` };
    await expect(collect(target)).rejects.toThrow(
      `cannot reach Docker at unix://${engine.dir}/missing.sock: connect ENOENT`,
    );
    await expect(dockerCollector.testConnection(target, AbortSignal.timeout(5000))).rejects.toThrow(/connect ENOENT/);
  });

  it("refuses tcp:// without certificates unless insecure, and rejects a client without a certificate", async () => {
    const plain = { ...tlsTarget(engine), settings: {}, credentials: {} };
    await expect(collect(plain)).rejects.toThrow(/needs TLS client certificates/);
    const report: CollectionReport = { warnings: [], complete: true };
    const insecure = dockerCollector.listWorkloads(
      { ...plain, settings: { insecure: true } },
      report,
      AbortSignal.timeout(5000),
    );
    await expect(drain(insecure)).rejects.toThrow(`Docker at ${engine.tls!.url} answered 400 to GET /info`);
    expect(report.warnings).toEqual([expect.stringMatching(/plain TCP without TLS/)]);
    const noClientCert = { ...tlsTarget(engine), credentials: {} };
    await expect(collect(noClientCert)).rejects.toThrow(/needs TLS client certificates/);
    await expect(dockerCollector.testConnection(tlsTarget(engine), AbortSignal.timeout(5000))).resolves.toMatch(
      /^Docker \d+\.\d+/,
    );
  });

  it("reads TLS files only for the user's own command line; a stored target naming them is refused", async () => {
    const { caFile, clientCertFile, clientKeyFile } = engine.tls!.files;
    const files = { tlsCaFile: caFile, tlsCertFile: clientCertFile, tlsKeyFile: clientKeyFile };
    const stored = { ...tlsTarget(engine), settings: files, credentials: {} };
    const refusal = /names TLS files on the Rampart server \(tlsCaFile, tlsCertFile, tlsKeyFile\).*uploaded as PEM/;
    await expect(dockerCollector.testConnection(stored, AbortSignal.timeout(5000))).rejects.toThrow(refusal);
    await expect(collect(stored)).rejects.toThrow(refusal);
    const missing = { ...stored, settings: { tlsCaFile: `${engine.dir}/absent.pem` } };
    await expect(collect(missing)).rejects.toThrow(/names TLS files on the Rampart server \(tlsCaFile\)/);
    const own = { ...stored, trustLocalFiles: true };
    await expect(dockerCollector.testConnection(own, AbortSignal.timeout(5000))).resolves.toMatch(/^Docker \d+\.\d+/);
  });

  it("skips a container that disappears between list and inspect", async () => {
    const id = await engine.docker([
      "run",
      "-d",
      "--name",
      "vanishing",
      "--network",
      "none",
      images.base,
      "sleep",
      "3600",
    ]);
    let removed = false;
    const proxy = await startDockerProxy(engine.socket, engine.dir, async (_, urlPath) => {
      if (removed || !urlPath.includes(`/containers/${id}/json`)) return;
      removed = true;
      await engine.docker(["rm", "-f", id]);
    });
    try {
      const { workloads, report } = await collect({ ...unixTarget(engine), url: proxy.url });
      const names = workloads.flatMap((workload) => workload.containers.map((c) => c.name));
      expect(removed).toBe(true);
      expect(names).not.toContain("vanishing");
      expect(names).toContain("hardened");
      expect(report.complete).toBe(true);
      expect(report.warnings).toEqual([`container ${id.slice(0, 12)} disappeared between list and inspect; skipped`]);
    } finally {
      await proxy.close();
    }
  });

  it("abandons a poll that takes longer than its time limit", async () => {
    const proxy = await startDockerProxy(
      engine.socket,
      engine.dir,
      () => new Promise((resolve) => setTimeout(resolve, 1500)),
    );
    try {
      await expect(collectTarget({ ...unixTarget(engine), url: proxy.url }, { timeoutMs: 500 })).rejects.toThrow(
        `polling ${proxy.url} took longer than 0.5 s; the run was abandoned`,
      );
    } finally {
      await proxy.close();
    }
  });
});
