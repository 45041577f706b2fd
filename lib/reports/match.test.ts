import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import type { WorkloadInput } from "@/lib/domain/facts";
import { indexReport, ReportIndex, type ReportSet } from "./match";
import { readReports } from "./read";

const CORPUS = path.resolve(__dirname, "../../../shared/corpus/reports");
const read = async (file: string) => readReports(file, await readFile(path.join(CORPUS, file), "utf8"))[0]!;
const NOW = new Date().toISOString();

function set(partial: Partial<ReportSet>): ReportSet {
  return { reports: [], statements: [], exceptions: [], anyVulnerabilityReport: true, ...partial };
}

function attach(
  index: ReportIndex,
  facts: ReturnType<typeof secureDockerFacts> | ReturnType<typeof secureKubernetesFacts>,
) {
  const bare = { ...facts, vulnerabilityReport: undefined, dependencyReport: undefined } as typeof facts;
  delete bare.vulnerabilityReport;
  delete bare.dependencyReport;
  const input = { workload: facts.workload, source: "x", labels: {}, containers: [bare] } as WorkloadInput;
  index.attach(input, "target-1");
  return bare;
}

describe("ReportIndex", () => {
  it("matches a Grype report by the image ID and says so; splits OS and application findings", async () => {
    const report = await read("grype/check_all_fields.json");
    const config = report.digests.find((d) => d.kind === "config")!.digest;
    const index = new ReportIndex(set({ reports: [{ ...indexReport(report), scannedAt: NOW }] }));
    const facts = attach(
      index,
      secureDockerFacts({ imageDigest: undefined, imageDigests: [{ kind: "config", digest: config }] }),
    );
    const os =
      facts.vulnerabilityReport && "value" in facts.vulnerabilityReport ? facts.vulnerabilityReport.value : null;
    const app = facts.dependencyReport && "value" in facts.dependencyReport ? facts.dependencyReport.value : null;
    expect(os).toMatchObject({ matchedBy: "config", digest: config, scanner: "Grype" });
    const fixable = report.vulnerabilities.filter((v) => v.fixable && ["HIGH", "CRITICAL"].includes(v.severity));
    expect(os?.fixableHighOrCritical.map((f) => f.id)).toEqual(
      fixable.filter((v) => v.class === "os").map((v) => v.id),
    );
    expect(app?.fixableHighOrCritical.map((f) => f.id)).toEqual(
      fixable.filter((v) => v.class === "application").map((v) => v.id),
    );
  });

  it("matches a report keyed by the platform manifest of an index the registry resolved (Kubernetes)", async () => {
    const report = await read("grype/check_all_fields.json");
    const platform = `sha256:${"b".repeat(64)}`;
    const keyed = {
      ...indexReport(report),
      scannedAt: NOW,
      digests: [{ kind: "manifest" as const, digest: platform }],
    };
    const index = new ReportIndex(set({ reports: [keyed] }));
    const running = { imageDigests: [{ kind: "repository" as const, digest: `sha256:${"a".repeat(64)}` }] };
    // Without the registry's reading, the pod only names the index: no report matches.
    expect(attach(index, secureKubernetesFacts(running)).vulnerabilityReport).toEqual({ value: null });
    const imageConfig = {
      value: {
        digest: running.imageDigests[0]!.digest,
        digestSource: "running" as const,
        platformDigest: platform,
        platform: "linux/amd64",
        configDigest: `sha256:${"c".repeat(64)}`,
        user: "",
        envSecrets: [],
        historySecrets: [],
      },
    };
    const facts = attach(index, secureKubernetesFacts({ ...running, imageConfig }));
    const os =
      facts.vulnerabilityReport && "value" in facts.vulnerabilityReport ? facts.vulnerabilityReport.value : null;
    expect(os).toMatchObject({ matchedBy: "manifest", digest: platform });
  });

  it("gives null (fail) for an image no report names, and leaves facts unset while no report is held", async () => {
    const report = indexReport(await read("grype/json-image.json"));
    const other = secureDockerFacts({ imageDigests: [{ kind: "config", digest: `sha256:${"e".repeat(64)}` }] });
    expect(attach(new ReportIndex(set({ reports: [report] })), other).vulnerabilityReport).toEqual({ value: null });
    expect(attach(new ReportIndex(set({ anyVulnerabilityReport: false })), other).vulnerabilityReport).toBeUndefined();
  });

  it("takes the newest of several matching reports", async () => {
    const base = indexReport(await read("trivy/alpine-310-registry.json"));
    const digest = base.digests[0]!.digest;
    const older = { ...base, id: "old", scannedAt: "2026-01-01T00:00:00.000Z" };
    const newer = { ...base, id: "new", scannedAt: "2026-02-01T00:00:00.000Z", findings: [] };
    const facts = attach(
      new ReportIndex(set({ reports: [newer, older] })),
      secureDockerFacts({ imageDigests: [{ kind: "config", digest }] }),
    );
    expect(facts.vulnerabilityReport).toMatchObject({ value: { id: "new" } });
  });

  it("sets aside a finding a VEX statement declares not_affected for one of the image's digests", async () => {
    const base = indexReport(await read("trivy/fluentd-gems.json"));
    const digest = base.digests[0]!.digest;
    const statement = {
      vulnerability: "CVE-2019-18224",
      status: "not_affected" as const,
      justification: "vulnerable_code_not_present",
      products: [digest],
    };
    const facts = attach(
      new ReportIndex(set({ reports: [base], statements: [statement] })),
      secureDockerFacts({ imageDigests: [{ kind: "config", digest }] }),
    );
    expect(facts.vulnerabilityReport).toMatchObject({
      value: {
        fixableHighOrCritical: [],
        excepted: [{ id: "CVE-2019-18224", reason: "VEX not_affected: vulnerable_code_not_present" }],
      },
    });
    const elsewhere = attach(
      new ReportIndex(set({ reports: [base], statements: [{ ...statement, products: [`sha256:${"1".repeat(64)}`] }] })),
      secureDockerFacts({ imageDigests: [{ kind: "config", digest }] }),
    );
    expect(elsewhere.vulnerabilityReport).toMatchObject({
      value: { fixableHighOrCritical: [{ id: "CVE-2019-18224" }] },
    });
  });

  it("shares one report's facts among containers matching it the same way; other matches and VEX get their own", async () => {
    const base = indexReport(await read("trivy/fluentd-gems.json"));
    const config = base.digests[0]!.digest;
    const repository = `sha256:${"2".repeat(64)}`;
    const report = { ...base, digests: [...base.digests, { kind: "repository" as const, digest: repository }] };
    const byConfig = () =>
      secureDockerFacts({ imageDigest: undefined, imageDigests: [{ kind: "config", digest: config }] });
    const byRepository = secureDockerFacts({
      imageDigest: undefined,
      imageDigests: [{ kind: "repository", digest: repository }],
    });
    const index = new ReportIndex(set({ reports: [report] }));
    const [first, second, third] = [byConfig(), byConfig(), byRepository].map((facts) => attach(index, facts));
    expect(second!.vulnerabilityReport).toBe(first!.vulnerabilityReport);
    expect(second!.dependencyReport).toBe(first!.dependencyReport);
    // What a fresh index (nothing shared yet) gives each of them.
    expect(second).toEqual(attach(new ReportIndex(set({ reports: [report] })), byConfig()));
    expect(third).toEqual(attach(new ReportIndex(set({ reports: [report] })), byRepository));
    expect(third!.dependencyReport).toMatchObject({ value: { digest: repository, matchedBy: "repository" } });
    expect(first!.dependencyReport).toMatchObject({ value: { digest: config, matchedBy: "config" } });

    const statement = {
      vulnerability: "CVE-2019-18224",
      status: "fixed" as const,
      justification: null,
      products: [config],
    };
    const vex = new ReportIndex(set({ reports: [report], statements: [statement] }));
    const [a, b] = [byConfig(), byConfig()].map((facts) => attach(vex, facts));
    expect(b!.vulnerabilityReport).not.toBe(a!.vulnerabilityReport);
    expect(b!.vulnerabilityReport).toEqual(a!.vulnerabilityReport);
    expect(b!.vulnerabilityReport).toMatchObject({
      value: { excepted: [{ id: "CVE-2019-18224", reason: "VEX fixed" }] },
    });
  });

  it("matches trivy-operator reports by their labels: a Deployment's ReplicaSet, same namespace and container", async () => {
    const report = indexReport(await read("trivy-operator/vulnerabilityreport_single_vuln.json"));
    const index = new ReportIndex(set({ reports: [{ ...report, scannedAt: NOW }] }));
    const nginx = (name: string, namespace = "default", container = "nginx") =>
      secureKubernetesFacts({
        workload: { platform: "kubernetes", kind: "Deployment", namespace, name },
        name: container,
      });
    expect(attach(index, nginx("nginx-deployment")).vulnerabilityReport).toMatchObject({
      value: {
        matchedBy: "labels",
        fixableHighOrCritical: [{ id: "CVE-2023-23914", pkg: "curl", fixedVersion: "7.87.0-r2" }],
      },
    });
    expect(attach(index, nginx("nginx")).vulnerabilityReport).toEqual({ value: null });
    expect(attach(index, nginx("nginx-deployment", "prod")).vulnerabilityReport).toEqual({ value: null });
    expect(attach(index, nginx("nginx-deployment", "default", "sidecar")).vulnerabilityReport).toEqual({ value: null });
    const secrets = indexReport(await read("trivy-operator/exposedsecretreport_single_vuln.json"));
    const withSecret = attach(
      new ReportIndex(set({ reports: [secrets] })),
      secureKubernetesFacts({
        workload: { platform: "kubernetes", kind: "Deployment", namespace: "default", name: "nginx-deployment" },
        name: "nginx",
      }),
    );
    expect(withSecret.secretReport).toMatchObject({
      value: { secrets: [{ ruleId: "aws-secret-access-key", file: "root/aws_secret.txt" }] },
    });
    expect(JSON.stringify(withSecret.secretReport)).not.toContain("****");
  });
});
