import { describe, expect, it } from "vitest";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import type { ContainerFacts, WorkloadInput, WorkloadRef } from "@/lib/domain/facts";
import type { ExceptionRule } from "./exceptions";
import { CATALOG_VERSION, classifyValue, inspectEpoch } from "./facts-hash";
import { judgeChanges, type ObservedWorkload, type StoredHashes } from "./judge-changes";

const NOW = new Date("2026-06-01T12:00:00Z");

const REPORT = { digest: "sha256:0", scanner: "grype", scannedAt: "2026-05-31T00:00:00Z", fixableHighOrCritical: [] };

function workloadOf(facts: ContainerFacts): WorkloadInput {
  facts.vulnerabilityReport = { value: { ...REPORT } };
  facts.dependencyReport = { value: { ...REPORT } };
  return { workload: facts.workload, source: facts.source, labels: {}, containers: [facts] };
}

/** Three Docker containers and three Kubernetes Deployments, each its own workload. */
function fleet(change: (name: string, facts: ContainerFacts) => ContainerFacts = (_n, f) => f): WorkloadInput[] {
  const docker = ["d0", "d1", "d2"].map((name) =>
    secureDockerFacts({
      name,
      workload: { platform: "docker", kind: "Container", namespace: "", name },
      container: { Name: `/${name}`, Config: { Env: ["DB_PASSWORD=first-literal", "MODE=prod"] } },
    }),
  );
  const kubernetes = ["k0", "k1", "k2"].map((name) =>
    secureKubernetesFacts({
      name,
      container: { name },
      workload: { platform: "kubernetes", kind: "Deployment", namespace: "shop", name },
    }),
  );
  return [...docker, ...kubernetes].map(workloadOf).map((input) => {
    const facts = input.containers[0]!;
    return { ...input, containers: [change(facts.name, facts)] };
  });
}

function storeOf(observed: ObservedWorkload[]): StoredHashes {
  const key = (ref: WorkloadRef) => JSON.stringify([ref.namespace, ref.kind, ref.name]);
  const states = new Map(observed.map((o) => [key(o.workload), o.stateHash]));
  const facts = new Map(
    observed.flatMap((o) => o.containers.map((c) => [`${key(o.workload)}/${c.name}`, c.factsHash])),
  );
  return {
    workloadState: (ref) => states.get(key(ref)),
    containerFacts: (ref, name) => facts.get(`${key(ref)}/${name}`),
  };
}

function judge(
  inputs: WorkloadInput[],
  stored: StoredHashes,
  exceptions: ExceptionRule[] = [],
  catalogVersion?: string,
) {
  const verdict = { exceptions, now: NOW, targetId: "t1", ...(catalogVersion ? { catalogVersion } : {}) };
  const observed = inputs.map((input) => judgeChanges(input, stored, { verdict }).observed);
  const judged = observed.flatMap((o) => o.containers.filter((c) => c.evaluation).map((c) => c.name));
  return { observed, judged };
}

describe("judgeChanges: only what changed is judged", () => {
  const first = judge(fleet(), storeOf([]));
  const stored = storeOf(first.observed);

  it("judges everything the store has not seen, and nothing on an unchanged re-poll", () => {
    expect(first.judged).toEqual(["d0", "d1", "d2", "k0", "k1", "k2"]);
    expect(first.observed.every((o) => o.state !== undefined)).toBe(true);
    const again = judge(fleet(), stored);
    expect(again.judged).toEqual([]);
    expect(again.observed.every((o) => o.state === undefined)).toBe(true);
  });

  it("re-judges exactly the container whose facts changed", () => {
    const privileged = fleet((name, facts) => {
      if (name === "d1" && facts.platform === "docker") facts.container.HostConfig.Privileged = true;
      if (name === "k2" && facts.platform === "kubernetes")
        facts.container.securityContext = { ...facts.container.securityContext, privileged: true };
      return facts;
    });
    expect(judge(privileged, stored).judged).toEqual(["d1", "k2"]);
  });

  it("classifies env values: another literal is the same fact, a credential-looking value is not", () => {
    const withEnv = (value: string) =>
      fleet((name, facts) => {
        if (name === "d0" && facts.platform === "docker")
          facts.container.Config.Env = [`DB_PASSWORD=${value}`, "MODE=prod"];
        return facts;
      });
    expect(judge(withEnv("second-literal"), stored).judged).toEqual([]);
    expect(judge(withEnv("AKIAABCDEFGHIJKLMNOP"), stored).judged).toEqual(["d0"]);
    expect(judge(withEnv(""), stored).judged).toEqual(["d0"]);
    expect(classifyValue("ghp_abcdef")).toBe("credential:github-token");
    expect(classifyValue("$(TOKEN)")).toBe("ref");
  });

  it("re-judges exactly the containers an exception covers, and all of them after a catalog change", () => {
    const rule: ExceptionRule = {
      id: "e1",
      checkId: "resource-limits",
      namespace: "shop",
      workload: "k1",
      reason: "batch job",
      expiresAt: new Date(NOW.getTime() + 86_400_000),
    };
    expect(judge(fleet(), stored, [rule]).judged).toEqual(["k1"]);
    const expired = { ...rule, expiresAt: new Date(NOW.getTime() - 1) };
    expect(judge(fleet(), stored, [expired]).judged).toEqual([]);
    expect(judge(fleet(), stored, [], `${CATALOG_VERSION}-next`).judged).toHaveLength(6);
  });

  it("re-judges a container whose matching report changed", () => {
    const reported = fleet((name, facts) => {
      if (name === "k0") facts.vulnerabilityReport = { value: { ...REPORT, scannedAt: NOW.toISOString() } };
      return facts;
    });
    expect(judge(reported, stored).judged).toEqual(["k0"]);
  });
});

describe("inspectEpoch", () => {
  const base = { exceptions: [], now: new Date("2026-03-01T12:00:00Z"), targetId: "t-1", reports: "3/2026-03-01" };
  const rule = { id: "e1", checkId: "resource-limits", reason: "r", expiresAt: "2026-04-01T00:00:00Z" };

  it("stays within a day for the same inputs and changes with reports, exceptions, the catalog and the day", () => {
    const epoch = inspectEpoch(base);
    expect(inspectEpoch({ ...base, now: new Date("2026-03-01T12:00:01Z") })).toBe(epoch);
    for (const other of [
      { ...base, reports: "4/2026-03-01" },
      { ...base, exceptions: [rule] },
      { ...base, catalogVersion: "another" },
      { ...base, now: new Date("2026-03-02T12:00:00Z") },
    ])
      expect(inspectEpoch(other)).not.toBe(epoch);
  });
});
