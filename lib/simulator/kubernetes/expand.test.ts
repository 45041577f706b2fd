import { describe, expect, it } from "vitest";
import { expandManifests, type KubeObject } from "./expand";
import { generateFleet } from "./fleet";

const template = (image: string) => ({
  metadata: { labels: { app: "x" } },
  spec: { containers: [{ name: "c", image }] },
});
const ofKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe("expandManifests", () => {
  it("runs a Deployment as one ReplicaSet and its replicas as pods that point at it", () => {
    const { objects } = expandManifests([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "shop" },
        spec: { replicas: 10, template: template("nginx:1.27") },
      },
    ]);
    const [deployment] = ofKind(objects, "Deployment");
    const replicaSets = ofKind(objects, "ReplicaSet");
    const pods = ofKind(objects, "Pod");
    expect(replicaSets).toHaveLength(1);
    expect(replicaSets[0]?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "Deployment",
      uid: deployment?.metadata.uid,
      controller: true,
    });
    expect(pods).toHaveLength(10);
    expect(new Set(pods.map((p) => p.metadata.name)).size).toBe(10);
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences?.[0]?.uid).toBe(replicaSets[0]?.metadata.uid);
      expect(pod.metadata.labels?.["pod-template-hash"]).toBe(replicaSets[0]?.metadata.labels?.["pod-template-hash"]);
      const [status] = (pod.status?.containerStatuses ?? []) as { imageID: string }[];
      expect(status?.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[a-f0-9]{64}$/);
    }
  });

  it("chains CronJob → Job → Pod and keeps a pinned digest as the running one", () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const { objects } = expandManifests([
      {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "report", namespace: "ops" },
        spec: { jobTemplate: { spec: { template: template(`r.example/report@${digest}`) } } },
      },
    ]);
    const [cronJob] = ofKind(objects, "CronJob");
    const [job] = ofKind(objects, "Job");
    const [pod] = ofKind(objects, "Pod");
    expect(job?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "CronJob", uid: cronJob?.metadata.uid });
    expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Job", uid: job?.metadata.uid });
    expect((pod?.status?.containerStatuses as { imageID: string }[])[0]?.imageID).toBe(`r.example/report@${digest}`);
  });

  it("adds the namespaces and default ServiceAccounts that objects refer to", () => {
    const { objects } = expandManifests([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "lab" }, spec: template("x:1").spec },
    ]);
    expect(ofKind(objects, "Namespace").map((n) => n.metadata.name)).toContain("lab");
    expect(
      ofKind(objects, "ServiceAccount").some((s) => s.metadata.namespace === "lab" && s.metadata.name === "default"),
    ).toBe(true);
  });

  it("reports what it cannot serve", () => {
    const { skipped } = expandManifests([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }]);
    expect(skipped).toEqual(["ConfigMap/c"]);
  });
});

describe("generateFleet", () => {
  it("makes exactly the asked number of pods, the same for the same seed", () => {
    const pods = (seed: number) =>
      ofKind(expandManifests(generateFleet(737, seed), { now: new Date(0) }).objects, "Pod");
    const first = pods(5);
    expect(first).toHaveLength(737);
    expect(pods(5).map((p) => p.metadata.name)).toEqual(first.map((p) => p.metadata.name));
    expect(pods(6).map((p) => p.metadata.name)).not.toEqual(first.map((p) => p.metadata.name));
  });

  it("mixes workload kinds, namespaces and NetworkPolicies", () => {
    const { objects } = expandManifests(generateFleet(2000, 3));
    for (const kind of ["Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "NetworkPolicy"]) {
      expect(ofKind(objects, kind).length, kind).toBeGreaterThan(0);
    }
    expect(ofKind(objects, "Namespace").length).toBeGreaterThan(5);
    const bare = ofKind(objects, "Pod").filter((p) => !p.metadata.ownerReferences);
    expect(bare.length).toBeGreaterThan(0);
  });
});
