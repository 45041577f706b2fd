import { describe, expect, it } from "vitest";
import { secureDockerFacts } from "@/lib/checks/testing/baseline";
import type { VulnerabilityReport } from "@/lib/domain/facts";
import { judgeVulnerabilityReport } from "./reports";

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

function report(partial: Partial<VulnerabilityReport> = {}): VulnerabilityReport {
  return {
    id: "r1",
    digest: `sha256:${"a".repeat(64)}`,
    matchedBy: "config",
    scanner: "Trivy",
    scannedAt: daysAgo(1),
    fixableHighOrCritical: [
      { id: "CVE-1", severity: "HIGH", pkg: "openssl", fixedVersion: "3.0.2" },
      { id: "CVE-2", severity: "CRITICAL", pkg: "zlib" },
      { id: "CVE-3", severity: "CRITICAL", pkg: "xz", fixedVersion: "5.6.2" },
      { id: "CVE-4", severity: "HIGH", pkg: "curl", fixedVersion: "8.1" },
    ],
    ...partial,
  };
}

const judge = (r: VulnerabilityReport, packages: string, facts = secureDockerFacts()) =>
  judgeVulnerabilityReport(facts, { value: r }, { fieldPath: "Image", packages });

describe("judgeVulnerabilityReport", () => {
  it("counts, lists the first three and names each check's package class, for one report shared by both checks", () => {
    const shared = report();
    const source = `Trivy report of ${shared.scannedAt.slice(0, 10)} (matched by image ID)`;
    for (const packages of ["operating-system packages", "application dependencies", "operating-system packages"])
      expect(judge(shared, packages)).toEqual({
        status: "fail",
        message: `4 fixable HIGH/CRITICAL vulnerabilities in ${packages} (2 critical) per ${source}: CVE-1 (openssl, fixed in 3.0.2), CVE-2 (zlib), CVE-3 (xz, fixed in 5.6.2), …`,
        fieldPath: "Image",
      });
  });

  it("passes a report without open findings and says how many were excepted and why the first was", () => {
    const r = report({
      matchedBy: "labels",
      fixableHighOrCritical: [],
      excepted: [
        { id: "CVE-9", pkg: "bash", reason: "VEX not_affected" },
        { id: "CVE-8", pkg: "sh", reason: "exception e1: later" },
      ],
    });
    expect(judge(r, "application dependencies")).toEqual({
      status: "pass",
      message: `Trivy report of ${r.scannedAt.slice(0, 10)} (matched by trivy-operator labels): no fixable HIGH/CRITICAL vulnerability in application dependencies; 2 excepted (CVE-9: VEX not_affected)`,
      fieldPath: "Image",
    });
  });

  it("judges the age per container: the same report is recent enough for one and stale for another", () => {
    const r = report({ scannedAt: daysAgo(30), fixableHighOrCritical: [] });
    const source = `Trivy report of ${r.scannedAt.slice(0, 10)} (matched by image ID)`;
    expect(judge(r, "operating-system packages", secureDockerFacts({ maxReportAgeDays: 60 })).status).toBe("pass");
    expect(judge(r, "operating-system packages")).toEqual({
      status: "fail",
      message: `The newest report is a ${source}, older than 7 days`,
      fieldPath: "Image",
    });
    expect(judge(r, "operating-system packages", secureDockerFacts({ maxReportAgeDays: 60 })).status).toBe("pass");
  });

  it("lists fewer than four findings without an ellipsis", () => {
    const r = report({
      fixableHighOrCritical: [{ id: "GHSA-x", severity: "HIGH", pkg: "semver", fixedVersion: "7.5.2" }],
    });
    expect(judge(r, "application dependencies").message).toBe(
      `1 fixable HIGH/CRITICAL vulnerabilities in application dependencies (0 critical) per Trivy report of ${r.scannedAt.slice(0, 10)} (matched by image ID): GHSA-x (semver, fixed in 7.5.2)`,
    );
  });
});
