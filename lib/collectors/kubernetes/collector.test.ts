import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { KubernetesContainerFacts } from "@/lib/domain/facts";
import { evaluateWorkload } from "@/lib/evaluate";
import { imageDigest } from "@/lib/simulator/kubernetes/naming";
import { renderKubeconfig, rulesOf, type KubernetesSimulator, type PolicyRule } from "@/lib/simulator/kubernetes";
import {
  ADMIN_TOKEN,
  newReport,
  SHOP_MANIFESTS,
  startTestCluster,
  targetFor,
} from "@/lib/simulator/kubernetes/testing";
import {
  collectKubernetesWorkloads,
  createKubernetesCollector,
  readRbacManifests,
  type KubernetesWorkloadInput,
} from ".";

let sim: KubernetesSimulator;
let shippedRules: PolicyRule[];

const withoutResource = (rules: PolicyRule[], resource: string): PolicyRule[] =>
  rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== resource) }));

beforeAll(async () => {
  const { clusterRole, role } = await readRbacManifests();
  const [clusterRoleObject] = parseAllDocuments(clusterRole).map((d) => d.toJS());
  shippedRules = rulesOf(clusterRoleObject);
  const [roleObject] = parseAllDocuments(role).map((d) => d.toJS());
  expect(rulesOf(roleObject)).toEqual(shippedRules);
  sim = await startTestCluster({
    manifestPaths: [SHOP_MANIFESTS],
    tokens: {
      shipped: { user: "rampart", grants: [{ rules: shippedRules }] },
      "no-netpol": { user: "rampart", grants: [{ rules: withoutResource(shippedRules, "networkpolicies") }] },
      "no-pods": { user: "rampart", grants: [{ rules: withoutResource(shippedRules, "pods") }] },
      "shop-role": { user: "rampart", grants: [{ namespaces: ["shop"], rules: shippedRules }] },
    },
  });
});

afterAll(async () => {
  await sim?.close();
});

async function collect(target: TargetConnection, options = {}, report: CollectionReport = newReport()) {
  const workloads: KubernetesWorkloadInput[] = [];
  for await (const w of collectKubernetesWorkloads(target, report, new AbortController().signal, options))
    workloads.push(w);
  const byKey = new Map(workloads.map((w) => [`${w.workload.kind}/${w.workload.namespace}/${w.workload.name}`, w]));
  return { workloads, byKey, report };
}

const facts = (w: KubernetesWorkloadInput | undefined, i = 0) => w?.containers[i] as KubernetesContainerFacts;

describe("Kubernetes collector against the simulator", () => {
  it("reports one workload per owner, with replicas, running digests and namespace labels", async () => {
    const { workloads, byKey, report } = await collect(targetFor(sim, ADMIN_TOKEN));
    expect(report).toEqual({ warnings: [], complete: true });
    expect([...byKey.keys()].sort()).toEqual([
      "CronJob/payments/settlement-report",
      "DaemonSet/ops/log-agent",
      "Deployment/shop/api",
      "Deployment/shop/web",
      "Job/ops/db-migrate",
      "Pod/shop/debug",
      "StatefulSet/payments/ledger-db",
    ]);
    expect(workloads).toHaveLength(7);
    const api = byKey.get("Deployment/shop/api");
    expect(facts(api).replicas).toBe(10);
    expect(facts(api).imageDigest).toBe(imageDigest("ghcr.io/acme/api:1.4.2"));
    expect(facts(api).specPath).toBe("spec.template.spec");
    expect(api?.namespaceLabels.team).toBe("storefront");
    expect(facts(byKey.get("DaemonSet/ops/log-agent")).replicas).toBe(3);
    expect(facts(byKey.get("StatefulSet/payments/ledger-db")).replicas).toBe(3);
  });

  it("rolls a CronJob's pods up through its Job and judges the CronJob's template", async () => {
    const { byKey } = await collect(targetFor(sim, ADMIN_TOKEN));
    const report = byKey.get("CronJob/payments/settlement-report");
    expect(facts(report).specPath).toBe("spec.jobTemplate.spec.template.spec");
    expect(facts(report).replicas).toBe(1);
    expect(facts(report).imageDigest).toBe(imageDigest("ghcr.io/acme/report:3.1"));
    expect([...byKey.keys()].some((k) => k.startsWith("Job/payments/"))).toBe(false);
    const migrate = byKey.get("Job/ops/db-migrate");
    expect(migrate?.containers.map((c) => [c.name, c.imageDigest])).toEqual([
      ["wait", imageDigest("busybox:1.36")],
      ["migrate", imageDigest("ghcr.io/acme/migrate:0.9")],
    ]);
  });

  it("attaches each namespace's NetworkPolicies and ServiceAccount automount settings", async () => {
    const { byKey } = await collect(targetFor(sim, ADMIN_TOKEN));
    const api = facts(byKey.get("Deployment/shop/api"));
    expect(api.networkPolicies).toEqual({
      value: [expect.objectContaining({ metadata: expect.objectContaining({ name: "api-ingress" }) })],
    });
    expect(api.serviceAccountAutomount).toBe(false);
    const checks = (w: KubernetesWorkloadInput | undefined) => evaluateWorkload(w!).containers[0]?.checks ?? [];
    expect(checks(byKey.get("Deployment/shop/api")).find((c) => c.checkId === "network-isolation")?.status).toBe(
      "pass",
    );
    expect(checks(byKey.get("Deployment/shop/web")).find((c) => c.checkId === "network-isolation")?.status).toBe(
      "fail",
    );
    expect(checks(byKey.get("Pod/shop/debug")).find((c) => c.checkId === "not-privileged")?.status).toBe("fail");
  });

  it("pages every list with the asked limit and counts each pod once", async () => {
    const big = await startTestCluster({ pods: 240, seed: 4 });
    try {
      const { workloads } = await collect(targetFor(big, ADMIN_TOKEN), { pageSize: 20 });
      const podRequests = big.requests.filter((r) => r.path === "/api/v1/pods");
      expect(podRequests.length).toBe(12);
      expect(podRequests.every((r) => r.query.limit === "20")).toBe(true);
      expect(podRequests.filter((r) => r.query.continue).length).toBe(11);
      expect(workloads.reduce((sum, w) => sum + (facts(w).replicas ?? 0), 0)).toBe(240);
    } finally {
      await big.close();
    }
  });

  it("restarts a list once on 410 Gone, without counting pods twice, and fails on a second 410", async () => {
    const big = await startTestCluster({ pods: 100, seed: 2 });
    try {
      big.faults.expireOnly = "pods";
      big.faults.expireContinues = 1;
      const { workloads } = await collect(targetFor(big, ADMIN_TOKEN), { pageSize: 30 });
      expect(big.faults.expireContinues).toBe(0);
      expect(big.requests.filter((r) => r.path === "/api/v1/pods" && r.status === 410)).toHaveLength(1);
      expect(workloads.reduce((sum, w) => sum + (facts(w).replicas ?? 0), 0)).toBe(100);
      big.faults.expireContinues = 2;
      await expect(collect(targetFor(big, ADMIN_TOKEN), { pageSize: 30 })).rejects.toThrow(
        "cannot list pods at cluster scope: the list expired again after a restart (410 Gone)",
      );
    } finally {
      await big.close();
    }
  });
});

describe("partial permissions and faults", () => {
  it("works with exactly the shipped ClusterRole", async () => {
    const { workloads, report } = await collect(targetFor(sim, "shipped"));
    expect(report).toEqual({ warnings: [], complete: true });
    expect(workloads).toHaveLength(7);
  });

  it("leaves network-isolation not-evaluated, naming the permission, when NetworkPolicies are forbidden", async () => {
    const { byKey, report } = await collect(targetFor(sim, "no-netpol"));
    const reason =
      "cannot list networkpolicies at cluster scope: forbidden (needs list on networkpolicies.networking.k8s.io)";
    expect(report.complete).toBe(true);
    expect(report.warnings).toEqual([`network-isolation not evaluated: ${reason}`]);
    expect(facts(byKey.get("Deployment/shop/api")).networkPolicies).toEqual({ unavailable: reason });
    const result = evaluateWorkload(byKey.get("Deployment/shop/api")!).containers[0]?.checks.find(
      (c) => c.checkId === "network-isolation",
    );
    expect(result?.status).toBe("not-evaluated");
    expect(byKey.size).toBe(7);
  });

  it("fails the run, naming the permission, when pods are forbidden", async () => {
    await expect(collect(targetFor(sim, "no-pods"))).rejects.toThrow(
      "cannot list pods at cluster scope: forbidden (needs list on pods)",
    );
  });

  it("fails with a clear message on an unknown token", async () => {
    await expect(collect(targetFor(sim, "stolen"))).rejects.toThrow(
      `${sim.url} refused the credentials (401 Unauthorized)`,
    );
  });

  it("reads only the namespaces it may, with a namespaced Role", async () => {
    const target = targetFor(sim, "shop-role", { namespaces: ["shop"] });
    const { byKey, report } = await collect(target);
    expect(report).toEqual({ warnings: [], complete: true });
    expect([...byKey.keys()].sort()).toEqual(["Deployment/shop/api", "Deployment/shop/web", "Pod/shop/debug"]);
    expect(byKey.get("Deployment/shop/api")?.namespaceLabels.team).toBe("storefront");
    await expect(collect(targetFor(sim, "shop-role"))).rejects.toThrow("forbidden");
    await expect(collect(targetFor(sim, "shop-role", { namespaces: ["shop", "payments"] }))).rejects.toThrow(
      /^cannot list \w+ in namespace "payments": forbidden \(needs list on \w+(\.apps)?\)$/,
    );
  });

  it("names a TLS failure when the CA is not the server's", async () => {
    const target = targetFor(sim, ADMIN_TOKEN);
    target.credentials.tlsCa = undefined;
    await expect(collect(target)).rejects.toThrow(/^TLS verification of https:\/\/127\.0\.0\.1:\d+ failed \(\w+\)/);
  });

  it("skips TLS verification only when the kubeconfig says so, and says it did", async () => {
    const config = parse(renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token: ADMIN_TOKEN }));
    delete config.clusters[0].cluster["certificate-authority-data"];
    config.clusters[0].cluster["insecure-skip-tls-verify"] = true;
    const target: TargetConnection = {
      name: "k",
      platform: "kubernetes",
      url: sim.url,
      settings: {},
      credentials: { kubeconfig: stringify(config) },
    };
    const { workloads, report } = await collect(target);
    expect(workloads).toHaveLength(7);
    expect(report.warnings).toEqual([`the kubeconfig turns TLS verification off for ${sim.url}`]);
  });

  it("gives up on a server that does not answer in time", async () => {
    sim.faults.delayMs = 2_000;
    try {
      await expect(collect(targetFor(sim, ADMIN_TOKEN), { requestTimeoutMs: 300 })).rejects.toThrow(
        "did not answer in time (timeout)",
      );
    } finally {
      sim.faults.delayMs = 0;
    }
  });
});

describe("connection", () => {
  it("describes the cluster, from a URL and token or from a kubeconfig with a context", async () => {
    const collector = createKubernetesCollector();
    const signal = new AbortController().signal;
    expect(await collector.testConnection(targetFor(sim, ADMIN_TOKEN), signal)).toBe(
      `Kubernetes v1.33.2 at ${sim.url}`,
    );
    const kubeconfig = renderKubeconfig({ url: sim.url, ca: sim.tls.ca, token: ADMIN_TOKEN, context: "lab" });
    const target: TargetConnection = {
      name: "k",
      platform: "kubernetes",
      url: "",
      settings: { context: "lab" },
      credentials: { kubeconfig },
    };
    expect(await collector.testConnection(target, signal)).toBe(`Kubernetes v1.33.2 at ${sim.url}`);
    await expect(collector.testConnection({ ...target, settings: { context: "prod" } }, signal)).rejects.toThrow(
      'context "prod" is not in the kubeconfig',
    );
    const broken = {
      ...target,
      credentials: { kubeconfig: "users:\n- name: x\n  user:\n    token: s3cr3t-value\n   bad: [" },
    };
    const failure = await collector.testConnection(broken, signal).catch((error: Error) => error.message);
    expect(failure).toMatch(/^the kubeconfig cannot be read/);
    expect(failure).not.toContain("s3cr3t-value");
  });
});
