import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectTarget } from "@/lib/collectors/collect-target";
import type { Status } from "@/lib/domain/severity";
import { driftFleet, generateDockerFleet, type ContainerSpec } from "@/lib/simulator/fleet";
import { startDockerSimulator, type DockerSimulator } from ".";

const fleet = generateDockerFleet({ hosts: 2, containersPerHost: 120, seed: 11 });
const host = fleet.hosts[0]!;
let dir: string;
let sim: DockerSimulator;
let socket: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rampart-docker-sim-"));
  sim = await startDockerSimulator({ hosts: fleet.hosts, socketDir: dir });
  socket = new URL(sim.engines[0]!.url).pathname;
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const isRunning = (c: ContainerSpec) => c.running;

describe("dockerode against the simulator", () => {
  it("lists running containers by default and all with all=true, with or without a version prefix", async () => {
    const docker = new Docker({ socketPath: socket });
    expect(await docker.listContainers()).toHaveLength(host.containers.filter(isRunning).length);
    expect(await docker.listContainers({ all: true })).toHaveLength(host.containers.length);
    const versioned = new Docker({ socketPath: socket, version: "v1.45" });
    expect((await versioned.listContainers({ all: true })).map((c) => c.Id).sort()).toEqual(
      host.containers.map((c) => c.id).sort(),
    );
    const exited = await docker.listContainers({ all: true, filters: JSON.stringify({ status: ["exited"] }) });
    expect(exited.map((c) => c.Names[0])).toEqual(host.containers.filter((c) => !c.running).map((c) => `/${c.name}`));
  });

  it("inspects containers the way the daemon records them: null lists, label=disable for privileged", async () => {
    const docker = new Docker({ socketPath: socket });
    const privileged = host.containers.find((c) => c.posture.privileged)!;
    const plain = host.containers.find(
      (c) =>
        !c.posture.privileged &&
        c.posture.capAdd.length === 0 &&
        !c.posture.dropAll &&
        !c.posture.noNewPrivileges &&
        !c.posture.seccompUnconfined &&
        !c.posture.apparmorUnconfined,
    )!;
    const p = await docker.getContainer(privileged.id).inspect();
    expect(p.HostConfig.Privileged).toBe(true);
    expect(p.HostConfig.SecurityOpt).toContain("label=disable");
    const q = await docker.getContainer(plain.name).inspect();
    expect([q.HostConfig.CapAdd, q.HostConfig.CapDrop, q.HostConfig.SecurityOpt]).toEqual([null, null, null]);
    expect(q.Config.User).toBe(plain.posture.user);
    await expect(docker.getContainer("no-such-container").inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("serves image config and history, info, version and networks", async () => {
    const docker = new Docker({ socketPath: socket });
    const image = host.containers[0]!.image;
    expect((await docker.getImage(image.id).inspect()).RepoDigests).toEqual(image.repoDigests);
    expect((await docker.getImage(image.id).history()).map((h: { CreatedBy: string }) => h.CreatedBy)).toEqual(
      [...image.history].reverse(),
    );
    expect((await docker.info()).Name).toBe(host.name);
    expect((await docker.version()).ApiVersion).toMatch(/^1\.\d+$/);
    expect((await docker.listNetworks()).map((n) => n.Name)).toEqual(
      expect.arrayContaining(["bridge", "host", "none", ...host.networks]),
    );
  });
});

function expected(c: ContainerSpec): Record<string, Status> {
  const p = c.posture;
  return {
    "not-privileged": p.privileged ? "fail" : "pass",
    "read-only-root-filesystem": p.readOnlyRoot ? "pass" : "fail",
    "no-container-runtime-socket": p.runtimeSocket ? "fail" : "pass",
    "no-host-namespaces": p.hostNetwork || p.hostPid || p.hostIpc ? "fail" : "pass",
    "resource-limits": p.limits ? "pass" : "fail",
    "drop-all-capabilities":
      !p.privileged && p.dropAll && p.capAdd.every((cap) => cap === "NET_BIND_SERVICE") ? "pass" : "fail",
  };
}

async function judged(url: string, withMessages = false): Promise<Map<string, Record<string, string>>> {
  const target = { name: "sim", platform: "docker" as const, url, settings: { includeStopped: true }, credentials: {} };
  const { evaluations, report } = await collectTarget(target);
  expect(report).toMatchObject({ complete: true, warnings: [] });
  const out = new Map<string, Record<string, string>>();
  for (const c of evaluations.flatMap((e) => e.containers)) {
    out.set(
      c.name,
      Object.fromEntries(
        c.checks.map((check) => [check.checkId, withMessages ? `${check.status} ${check.message}` : check.status]),
      ),
    );
  }
  return out;
}

describe("the Docker collector against the simulator", () => {
  it("judges every container as the generator intended", async () => {
    const results = await judged(sim.engines[0]!.url);
    expect(results.size).toBe(host.containers.length);
    for (const c of host.containers) {
      const statuses = results.get(c.name)!;
      expect({ name: c.name, ...Object.fromEntries(Object.keys(expected(c)).map((id) => [id, statuses[id]])) }).toEqual(
        { name: c.name, ...expected(c) },
      );
    }
    expect([...results.values()].filter((s) => s["not-privileged"] === "fail").length).toBeGreaterThan(0);
  });

  it("sees drift on the next poll, in exactly the changed containers", async () => {
    const other = fleet.hosts[1]!;
    const before = await judged(sim.engines[1]!.url, true);
    const { changed } = driftFleet({ seed: fleet.seed, hosts: [other] }, { share: 0.1, seed: 4 });
    const after = await judged(sim.engines[1]!.url, true);
    const differing = other.containers.filter(
      (c) => JSON.stringify(before.get(c.name)) !== JSON.stringify(after.get(c.name)),
    );
    expect(differing.map((c) => `${other.name}/${c.name}`).sort()).toEqual([...changed].sort());
  });
});

const run = promisify(execFile);
const hasDockerCli = (() => {
  try {
    execFileSync("docker", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasDockerCli && process.env.RAMPART_REQUIRE_ALL !== "1")
  console.warn("skipping docker CLI fidelity tests: apt-get install -y docker.io");

describe.skipIf(!hasDockerCli && process.env.RAMPART_REQUIRE_ALL !== "1")(
  "Debian's docker CLI against the simulator",
  () => {
    // Asynchronous: the simulator answers from this same process.
    const docker = async (...args: string[]) =>
      (
        await run("docker", ["-H", `unix://${socket}`, ...args], {
          encoding: "utf8",
          env: { ...process.env, DOCKER_CONFIG: dir },
        })
      ).stdout;

    it("docker ps and docker ps -a list what the host runs", async () => {
      expect((await docker("ps", "--format", "{{.Names}}")).trim().split("\n").sort()).toEqual(
        host.containers
          .filter(isRunning)
          .map((c) => c.name)
          .sort(),
      );
      expect((await docker("ps", "-aq", "--no-trunc")).trim().split("\n").sort()).toEqual(
        host.containers.map((c) => c.id).sort(),
      );
    });

    it("docker inspect by name and by short id returns the container", async () => {
      const c = host.containers.find((x) => x.posture.privileged)!;
      const [byName] = JSON.parse(await docker("inspect", c.name)) as {
        Id: string;
        HostConfig: { Privileged: boolean };
      }[];
      expect(byName).toMatchObject({ Id: c.id, HostConfig: { Privileged: true } });
      expect(
        (await docker("inspect", "--format", "{{.Name}} {{.HostConfig.ReadonlyRootfs}}", c.id.slice(0, 12))).trim(),
      ).toBe(`/${c.name} ${c.posture.readOnlyRoot}`);
      expect((await docker("image", "inspect", "--format", "{{.Id}}", c.image.id)).trim()).toBe(c.image.id);
    });
  },
);
