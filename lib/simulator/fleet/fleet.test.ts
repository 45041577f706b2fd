import { describe, expect, it } from "vitest";
import { driftFleet, fleetSize, generateDockerFleet, type DockerFleet } from ".";

const snapshot = (fleet: DockerFleet) =>
  JSON.stringify(fleet.hosts.map((h) => h.containers.map((c) => [c.id, c.name, c.posture])));

describe("generateDockerFleet", () => {
  it("gives the same fleet for the same seed and a different one for another seed", () => {
    const options = { hosts: 3, containersPerHost: 50, seed: 7 };
    expect(snapshot(generateDockerFleet(options))).toBe(snapshot(generateDockerFleet(options)));
    expect(snapshot(generateDockerFleet({ ...options, seed: 8 }))).not.toBe(snapshot(generateDockerFleet(options)));
  });

  it("makes H × C containers with unique ids and names per host", () => {
    const fleet = generateDockerFleet({ hosts: 4, containersPerHost: 250, seed: 1 });
    expect(fleetSize(fleet).containers).toBe(1000);
    for (const host of fleet.hosts) {
      expect(new Set(host.containers.map((c) => c.name)).size).toBe(250);
      expect(new Set(host.containers.map((c) => c.id)).size).toBe(250);
    }
  });

  it("mixes hardened and dangerous settings, Compose projects and stopped containers", () => {
    const containers = generateDockerFleet({ hosts: 5, containersPerHost: 400, seed: 3 }).hosts.flatMap(
      (h) => h.containers,
    );
    const share = (test: (c: (typeof containers)[number]) => boolean) =>
      containers.filter(test).length / containers.length;
    expect(share((c) => c.posture.privileged)).toBeGreaterThan(0.02);
    expect(share((c) => c.posture.privileged)).toBeLessThan(0.15);
    expect(share((c) => c.posture.readOnlyRoot)).toBeGreaterThan(0.15);
    expect(share((c) => c.posture.hostNetwork || c.posture.hostPid)).toBeGreaterThan(0.01);
    expect(share((c) => c.posture.plaintextSecret)).toBeGreaterThan(0.02);
    expect(share((c) => c.posture.runtimeSocket)).toBeGreaterThan(0.005);
    expect(share((c) => c.compose !== null)).toBeGreaterThan(0.3);
    expect(share((c) => !c.running)).toBeGreaterThan(0.01);
    expect(new Set(containers.map((c) => c.image.reference)).size).toBeGreaterThan(10);
  });
});

describe("driftFleet", () => {
  it("changes exactly the given share of running containers, each once, deterministically", () => {
    const make = () => generateDockerFleet({ hosts: 4, containersPerHost: 250, seed: 5 });
    const fleet = make();
    const before = fleet.hosts.flatMap((h) => h.containers.map((c) => JSON.stringify(c.posture)));
    const { changed } = driftFleet(fleet, { share: 0.02, seed: 9 });
    const running = fleetSize(fleet).running;
    expect(changed).toHaveLength(Math.round(running * 0.02));
    expect(new Set(changed).size).toBe(changed.length);
    const after = fleet.hosts.flatMap((h) => h.containers.map((c) => JSON.stringify(c.posture)));
    const differing = after.filter((posture, i) => posture !== before[i]).length;
    expect(differing).toBe(changed.length);
    expect(driftFleet(make(), { share: 0.02, seed: 9 }).changed).toEqual(changed);
  });

  it("changes nothing at share 0 and rejects a share outside 0..1", () => {
    const fleet = generateDockerFleet({ hosts: 1, containersPerHost: 20, seed: 5 });
    expect(driftFleet(fleet, { share: 0, seed: 1 }).changed).toEqual([]);
    expect(() => driftFleet(fleet, { share: 1.5, seed: 1 })).toThrow(/between 0 and 1/);
  });
});
