import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCollection } from "@/lib/collectors/run-collection";
import { dumpAllTables, setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { rulesOf, type KubernetesSimulator, type PolicyRule } from "@/lib/simulator/kubernetes";
import { startTestCluster } from "@/lib/simulator/kubernetes/testing";
import { readRbacManifests } from ".";
import { corpusTrivyOperatorReports, REPORTED_WORKLOADS, TRIVY_OPERATOR_CRDS } from "./testing/trivy-operator";

const test = setupTestDatabase();
// Secret text as trivy-operator writes it (`match`) and as Trivy does (`code.lines[].content`): never stored.
const PLANTED_MATCH = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYplantedMATCH";
const PLANTED_CODE = "token = ghp_plantedCODEplantedCODEplantedCODE01";
let sim: KubernetesSimulator;
let reports: Awaited<ReturnType<typeof corpusTrivyOperatorReports>>;

beforeAll(async () => {
  process.env.RAMPART_SECRET_KEY ??= randomBytes(32).toString("base64");
  const { clusterRole } = await readRbacManifests();
  const shipped: PolicyRule[] = rulesOf(parseAllDocuments(clusterRole)[0]?.toJS());
  reports = await corpusTrivyOperatorReports();
  const secret = (reports.nginxSecrets.report.secrets as Record<string, unknown>[])[0]!;
  secret.match = PLANTED_MATCH;
  secret.code = { lines: [{ number: 3, content: PLANTED_CODE, isCause: true }] };
  sim = await startTestCluster({
    objects: [...REPORTED_WORKLOADS, ...TRIVY_OPERATOR_CRDS, ...Object.values(reports)],
    tokens: {
      shipped: { user: "rampart", grants: [{ rules: shipped }] },
      "no-reports": {
        user: "rampart",
        grants: [{ rules: shipped.filter((r) => !r.apiGroups.includes("aquasecurity.github.io")) }],
      },
    },
  });
});

afterAll(async () => {
  await sim?.close();
});

async function clusterTarget(name: string, token: string) {
  const target = await createTarget(test.db, {
    name,
    platform: "kubernetes",
    url: sim.url,
    credentials: { bearerToken: token, tlsCa: sim.tls.ca },
  });
  return target.id;
}

/** Each reported container's status of checks 9, 10 and 11, with the finding's message when it fails. */
async function verdicts(targetId: string) {
  const containers = await test.db.container.findMany({
    where: { workload: { targetId }, goneAt: null },
    include: { workload: true, resultSet: true, findings: { where: { resolvedAt: null } } },
    orderBy: { name: "asc" },
  });
  const ids = ["image-vulnerability-scanned", "dependencies-scanned", "no-secrets-in-image"];
  return Object.fromEntries(
    containers.map((c) => {
      const status = (id: string) => {
        if ((c.resultSet?.passed as string[]).includes(id)) return "pass";
        const finding = c.findings.find((f) => f.checkId === id && f.status === "open");
        if (finding) return `fail: ${finding.message}`;
        return (c.resultSet?.notJudged as { id: string; status: string }[]).find((n) => n.id === id)?.status ?? "?";
      };
      return [`${c.workload.namespace}/${c.name}`, ids.map(status)];
    }),
  );
}

describe("trivy-operator reports polled from a cluster", () => {
  it("a token without the report rules: the run says forbidden and stores everything else", async () => {
    const targetId = await clusterTarget("no-reports", "no-reports");
    const run = await runCollection({ db: test.db, targetId });
    expect(run).toMatchObject({ status: "succeeded", containers: 2 });
    expect(run.warnings).toEqual([
      "trivy-operator VulnerabilityReports not read: cannot list vulnerabilityreports at cluster scope: forbidden (needs list on vulnerabilityreports.aquasecurity.github.io)",
      "trivy-operator ExposedSecretReports not read: cannot list exposedsecretreports at cluster scope: forbidden (needs list on exposedsecretreports.aquasecurity.github.io)",
    ]);
    const stored = await test.db.collectionRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(stored.warnings).toEqual(run.warnings);
    expect(await test.db.scanReport.count()).toBe(0);
    expect(await verdicts(targetId)).toEqual({
      "default/nginx": ["not-evaluated", "not-evaluated", "not-evaluated"],
      "kube-system/coredns": ["not-evaluated", "not-evaluated", "not-evaluated"],
    });
  });

  it("with exactly the shipped rules, checks 9-11 flip for the matched containers on that same poll", async () => {
    const targetId = await clusterTarget("shipped", "shipped");
    const run = await runCollection({ db: test.db, targetId });
    expect(run).toMatchObject({ status: "succeeded", containers: 2, warnings: [] });
    const day = new Date().toISOString().slice(0, 10);
    expect(await verdicts(targetId)).toEqual({
      "default/nginx": [
        `fail: 1 fixable HIGH/CRITICAL vulnerabilities in operating-system packages (1 critical) per Trivy report of ${day} (matched by trivy-operator labels): CVE-2023-23914 (curl, fixed in 7.87.0-r2)`,
        "pass",
        `fail: The Trivy report of ${day} (matched by trivy-operator labels) lists a secret in the image: rule aws-secret-access-key in root/aws_secret.txt`,
      ],
      "kube-system/coredns": [
        "pass",
        `fail: 1 fixable HIGH/CRITICAL vulnerabilities in application dependencies (0 critical) per Trivy report of ${day} (matched by trivy-operator labels): CVE-2021-3121 (github.com/gogo/protobuf, fixed in 1.3.2)`,
        "not-evaluated",
      ],
    });
    const stored = await test.db.scanReport.findMany({ orderBy: { subjectContainer: "asc" } });
    expect(stored.map((r) => [r.via, r.targetId, r.format, r.subjectNamespace, r.subjectContainer])).toEqual(
      [
        ["cluster", targetId, "trivy-operator-vulnerability", "kube-system", "coredns"],
        ["cluster", targetId, "trivy-operator-vulnerability", "default", "nginx"],
        ["cluster", targetId, "trivy-operator-secret", "default", "nginx"],
      ].sort((a, b) => String(a[4]).localeCompare(String(b[4]))),
    );
    const dump = await dumpAllTables(test.db);
    expect(dump).toContain("aws-secret-access-key");
    expect(dump).not.toContain("plantedMATCH");
    expect(dump).not.toContain("plantedCODE");
  });

  it("an unchanged report is not written again and re-judges nothing; a changed one re-judges its container", async () => {
    const target = await test.db.target.findFirstOrThrow({ where: { name: "shipped" } });
    const before = await test.db.scanReport.findMany({
      select: { id: true, receivedAt: true },
      orderBy: { id: "asc" },
    });
    const again = await runCollection({ db: test.db, targetId: target.id });
    expect(again).toMatchObject({ status: "succeeded", judged: 0 });
    expect(
      await test.db.scanReport.findMany({ select: { id: true, receivedAt: true }, orderBy: { id: "asc" } }),
    ).toEqual(before);

    // trivy-operator re-scans nginx after the image was patched: the same object, no vulnerabilities, a later time.
    const clean = structuredClone(reports.nginx);
    clean.report = { ...clean.report, vulnerabilities: [], updateTimestamp: new Date(Date.now() + 1000).toISOString() };
    sim.store.apply([clean as never]);
    const rescanned = await runCollection({ db: test.db, targetId: target.id });
    expect(rescanned).toMatchObject({ status: "succeeded", judged: 1 });
    expect((await verdicts(target.id))["default/nginx"]?.[0]).toBe("pass");
    expect(await test.db.scanReport.count({ where: { supersededAt: null } })).toBe(3);
    expect(await test.db.scanReport.count()).toBe(4);
  });

  it('CRDs absent: the run says "not installed" and otherwise completes, keeping the reports it read before', async () => {
    const target = await test.db.target.findFirstOrThrow({ where: { name: "shipped" } });
    for (const crd of TRIVY_OPERATOR_CRDS) {
      const name = (crd as { metadata: { name: string } }).metadata.name;
      expect(sim.store.remove("CustomResourceDefinition", undefined, name)).toBe(true);
    }
    const run = await runCollection({ db: test.db, targetId: target.id });
    expect(run).toMatchObject({ status: "succeeded", containers: 2, judged: 0 });
    expect(run.warnings).toEqual([
      "trivy-operator reports not read: not installed (the cluster serves no vulnerabilityreports.aquasecurity.github.io or exposedsecretreports.aquasecurity.github.io)",
    ]);
    expect(await test.db.scanReport.count({ where: { supersededAt: null } })).toBe(3);
  });
});
