import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { ScanReport } from "@/lib/reports";
import { rulesOf, type KubernetesSimulator, type PolicyRule } from "@/lib/simulator/kubernetes";
import { newReport, startTestCluster, targetFor } from "@/lib/simulator/kubernetes/testing";
import { collectKubernetesReports, readRbacManifests } from ".";
import { corpusTrivyOperatorReports, REPORTED_WORKLOADS, TRIVY_OPERATOR_CRDS } from "./testing/trivy-operator";

let sim: KubernetesSimulator;
let shipped: PolicyRule[];
let reports: Awaited<ReturnType<typeof corpusTrivyOperatorReports>>;

beforeAll(async () => {
  const { clusterRole, role } = await readRbacManifests();
  shipped = rulesOf(parseAllDocuments(clusterRole)[0]?.toJS());
  expect(rulesOf(parseAllDocuments(role)[0]?.toJS())).toEqual(shipped);
  reports = await corpusTrivyOperatorReports();
  sim = await startTestCluster({
    objects: [...REPORTED_WORKLOADS, ...TRIVY_OPERATOR_CRDS, ...Object.values(reports)],
    tokens: {
      shipped: { user: "rampart", grants: [{ rules: shipped }] },
      "no-reports": {
        user: "rampart",
        grants: [{ rules: shipped.filter((r) => !r.apiGroups.includes("aquasecurity.github.io")) }],
      },
      "no-secrets": {
        user: "rampart",
        grants: [
          { rules: shipped.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== "exposedsecretreports") })) },
        ],
      },
      "default-role": { user: "rampart", grants: [{ namespaces: ["default"], rules: shipped }] },
    },
  });
});

afterAll(async () => {
  await sim?.close();
});

async function collect(token: string, options: { pageSize?: number; namespaces?: string[] } = {}) {
  const report = newReport();
  const target = targetFor(sim, token, options.namespaces ? { namespaces: options.namespaces } : {});
  const pages: ScanReport[][] = [];
  for await (const page of collectKubernetesReports(target, report, new AbortController().signal, options))
    pages.push(page);
  const read = pages.flat();
  const bySubject = new Map(read.map((r) => [`${r.format} ${r.subject?.namespace}/${r.subject?.container}`, r]));
  return { pages, read, bySubject, report };
}

describe("trivy-operator reports read live from a cluster", () => {
  it("reads both kinds with exactly the shipped rules, keeping labels for matching and never the secret's text", async () => {
    const { read, bySubject, report } = await collect("shipped");
    expect(report).toEqual({ warnings: [], complete: true });
    expect(read).toHaveLength(3);
    const nginx = bySubject.get("trivy-operator-vulnerability default/nginx");
    expect(nginx?.subject).toEqual({
      namespace: "default",
      kind: "ReplicaSet",
      name: "nginx-deployment-965685897",
      container: "nginx",
    });
    expect(nginx?.vulnerabilities.map((v) => [v.id, v.package, v.class, v.severity, v.fixedVersion])).toEqual([
      ["CVE-2023-23914", "curl", "os", "CRITICAL", "7.87.0-r2"],
    ]);
    const coredns = bySubject.get("trivy-operator-vulnerability kube-system/coredns");
    expect(coredns?.vulnerabilities.map((v) => [v.id, v.class])).toEqual([["CVE-2021-3121", "application"]]);
    const secrets = bySubject.get("trivy-operator-secret default/nginx");
    expect(secrets?.secrets).toEqual([
      {
        ruleId: "aws-secret-access-key",
        severity: "CRITICAL",
        title: "AWS Secret Access Key",
        file: "root/aws_secret.txt",
        layer: null,
      },
    ]);
    expect(JSON.stringify(read)).not.toContain("AWS_secret_KEY");
  });

  it("reads the same objects as the same reports on every poll (so an unchanged one is not written again)", async () => {
    const first = await collect("shipped");
    const second = await collect("shipped");
    expect(second.read.map((r) => r.contentHash)).toEqual(first.read.map((r) => r.contentHash));
  });

  it("pages the lists with the asked limit", async () => {
    const before = sim.requests.length;
    const { pages } = await collect("shipped", { pageSize: 1 });
    const lists = sim.requests.slice(before).filter((r) => r.path.endsWith("/vulnerabilityreports"));
    expect(lists.map((r) => [r.path, r.query.limit, Boolean(r.query.continue)])).toEqual([
      ["/apis/aquasecurity.github.io/v1alpha1/vulnerabilityreports", "1", false],
      ["/apis/aquasecurity.github.io/v1alpha1/vulnerabilityreports", "1", true],
    ]);
    expect(pages.map((p) => p.length)).toEqual([1, 1, 1]);
  });

  it("names a malformed object and its field, and reads the others", async () => {
    const broken = structuredClone(reports.nginx) as typeof reports.nginx;
    broken.metadata = { ...broken.metadata, name: "replicaset-broken-abc-app", uid: "b-1" };
    (broken.report.vulnerabilities as Record<string, unknown>[])[0]!.vulnerabilityID = 42;
    const forged = structuredClone(reports.nginx) as typeof reports.nginx;
    forged.metadata = { ...forged.metadata, name: "replicaset-forged-app", namespace: "kube-system", uid: "f-1" };
    sim.store.apply([broken, forged] as never);
    try {
      const { read, report } = await collect("shipped");
      expect(report.warnings).toEqual([
        "VulnerabilityReport default/replicaset-broken-abc-app could not be read: report.vulnerabilities[0].vulnerabilityID: expected string, got number",
        'VulnerabilityReport kube-system/replicaset-forged-app could not be read: metadata.labels["trivy-operator.resource.namespace"]: names a namespace other than the report\'s own',
      ]);
      expect(report.complete).toBe(true);
      expect(read).toHaveLength(3);
    } finally {
      sim.store.remove("VulnerabilityReport", "default", "replicaset-broken-abc-app");
      sim.store.remove("VulnerabilityReport", "kube-system", "replicaset-forged-app");
    }
  });

  it("reports a forbidden list the way NetworkPolicies' is reported, and reads what it may", async () => {
    const none = await collect("no-reports");
    expect(none.read).toEqual([]);
    expect(none.report).toEqual({
      complete: true,
      warnings: [
        "trivy-operator VulnerabilityReports not read: cannot list vulnerabilityreports at cluster scope: forbidden (needs list on vulnerabilityreports.aquasecurity.github.io)",
        "trivy-operator ExposedSecretReports not read: cannot list exposedsecretreports at cluster scope: forbidden (needs list on exposedsecretreports.aquasecurity.github.io)",
      ],
    });
    const some = await collect("no-secrets");
    expect(some.read.map((r) => r.format)).toEqual(["trivy-operator-vulnerability", "trivy-operator-vulnerability"]);
    expect(some.report.warnings).toEqual([
      "trivy-operator ExposedSecretReports not read: cannot list exposedsecretreports at cluster scope: forbidden (needs list on exposedsecretreports.aquasecurity.github.io)",
    ]);
  });

  it("reads only the namespaces a namespaced Role allows", async () => {
    const { read, report } = await collect("default-role", { namespaces: ["default"] });
    expect(report.warnings).toEqual([]);
    expect(read.map((r) => r.subject?.namespace)).toEqual(["default", "default"]);
  });

  it('says "not installed" when the CRDs are absent, and fails nothing', async () => {
    const bare = await startTestCluster({
      objects: REPORTED_WORKLOADS,
      tokens: { shipped: { user: "rampart", grants: [{ rules: shipped }] } },
    });
    try {
      const report = newReport();
      const pages: ScanReport[][] = [];
      for await (const page of collectKubernetesReports(
        targetFor(bare, "shipped"),
        report,
        new AbortController().signal,
      ))
        pages.push(page);
      expect(pages).toEqual([]);
      expect(report).toEqual({
        complete: true,
        warnings: [
          "trivy-operator reports not read: not installed (the cluster serves no vulnerabilityreports.aquasecurity.github.io or exposedsecretreports.aquasecurity.github.io)",
        ],
      });
      expect(bare.requests.filter((r) => r.path.includes("aquasecurity")).map((r) => r.status)).toEqual([404, 404]);
    } finally {
      await bare.close();
    }
  });
});
