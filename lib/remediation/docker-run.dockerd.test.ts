import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunDockerd, startDockerd, type PrivateDockerd } from "@/e2e/support/dockerd";
import { dockerCollector } from "@/lib/collectors/docker";
import {
  buildFleetImages,
  fleetCases,
  PLANTED,
  runFleet,
  type FleetCase,
  type FleetImages,
} from "@/lib/collectors/docker/testing/fleet";
import type { CollectionReport } from "@/lib/collectors/types";
import type { WorkloadInput } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { evaluateWorkload } from "@/lib/evaluate";

// The promise of the combined Docker fix: recreate each planted container from the whole rebuilt `docker run`
// command, run through a real shell, and every check it names passes, nothing that passed fails, and it runs.

const enabled = canRunDockerd();
const run = promisify(execFile);
const HOSTILE_LABEL = `it's "$(touch /tmp/rampart-pwned)" \`id\`\nsecond line; echo owned`;

async function collect(engine: PrivateDockerd): Promise<WorkloadEvaluation[]> {
  const target = {
    name: "local",
    platform: "docker" as const,
    url: engine.url,
    settings: { includeStopped: true },
    credentials: {},
  };
  const report: CollectionReport = { warnings: [], complete: true };
  const workloads: WorkloadInput[] = [];
  for await (const workload of dockerCollector.listWorkloads(target, report, AbortSignal.timeout(60_000)))
    workloads.push(workload);
  return workloads.map((workload) => evaluateWorkload(workload));
}

function statuses(evaluations: WorkloadEvaluation[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const evaluation of evaluations)
    for (const container of evaluation.containers)
      for (const check of container.checks) map.set(`${container.name} ${check.checkId}`, check.status);
  return map;
}

describe.skipIf(!enabled)("the combined Docker fix recreates each planted container hardened", () => {
  let engine: PrivateDockerd;
  let images: FleetImages;
  let cases: FleetCase[];

  beforeAll(async () => {
    engine = await startDockerd({ registry: true });
    images = await buildFleetImages(engine);
    cases = [
      ...fleetCases(engine.socket).filter((c) => !c.labels),
      { name: "hostile-label", image: "base", flags: [], labels: { note: HOSTILE_LABEL }, expect: {} },
    ];
    await runFleet(engine, images, cases);
  }, 300_000);

  afterAll(async () => {
    await engine?.stop();
  });

  it("closes every check the command names, breaks none, and the container runs", async () => {
    const before = await collect(engine);
    const statusBefore = statuses(before);
    const env = { ...process.env, DOCKER_HOST: engine.url, DOCKER_CONFIG: path.join(engine.dir, "cli") };
    const recreated: string[] = [];
    const closes: string[] = [];
    for (const evaluation of before) {
      const fix = evaluation.remediation;
      if (!fix?.dockerRunCommand) continue;
      const text = `${fix.dockerRunCommand}\n${fix.compose ?? ""}`;
      for (const value of Object.values(PLANTED)) expect(text).not.toContain(value);
      for (const flag of fix.dockerRunCommand.matchAll(/--mount=type=bind,source=\.\/([^,]+)/g)) {
        await mkdir(path.join(engine.dir, path.dirname(flag[1] as string)), { recursive: true });
        await writeFile(path.join(engine.dir, flag[1] as string), "not-a-secret\n");
      }
      for (const network of fix.dockerRunCommand.matchAll(/--network=([a-z0-9-]+-net)\b/g))
        await engine.docker(["network", "create", "--internal", network[1] as string]).catch(() => "");
      const names = evaluation.containers.map((c) => c.name);
      await engine.docker(["rm", "-f", ...names]);
      await run("sh", ["-c", fix.dockerRunCommand], { cwd: engine.dir, env });
      recreated.push(...names);
      closes.push(...fix.closes);
    }
    const after = statuses(await collect(engine));
    const notClosed = closes.filter((key) => after.get(key) !== "pass").map((key) => `${key}: ${after.get(key)}`);
    const broken = [...statusBefore].filter(([key, s]) => s === "pass" && after.get(key) !== "pass");
    expect(notClosed).toEqual([]);
    expect(broken).toEqual([]);
    const running = await engine.docker(["ps", "--filter", "status=running", "--format", "{{.Names}}"]);
    expect(recreated.filter((name) => !running.split("\n").includes(name))).toEqual([]);
    const label = await engine.docker(["inspect", "--format", "{{json .Config.Labels}}", "hostile-label"]);
    expect(JSON.parse(label)).toMatchObject({ note: HOSTILE_LABEL });
    for (const checkId of ["not-privileged", "drop-all-capabilities", "run-as-non-root", "read-only-root-filesystem"])
      expect(
        closes.some((key) => key.endsWith(` ${checkId}`)),
        checkId,
      ).toBe(true);
    console.info(
      `combined docker run commands: ${recreated.length} containers recreated, ${closes.length} failing checks closed`,
    );
  }, 300_000);
});
