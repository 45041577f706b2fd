import { defineCheck } from "@/lib/checks/define-check";
import { judgeVulnerabilityReport } from "@/lib/checks/support/reports";
import { containerPath } from "@/lib/domain/facts";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const APP_PACKAGES = "application dependencies";
const staleDate = new Date(Date.now() - 30 * 86_400_000).toISOString();
const ghsa = { id: "GHSA-c2qf-rxjj-qqgw", severity: "HIGH" as const, pkg: "semver" };

export const dependenciesScanned = defineCheck({
  id: "dependencies-scanned",
  title: "Scan application dependencies and fix high-severity vulnerabilities",
  severity: "high",
  category: "supply-chain",
  seed: true,
  rationale:
    "Language packages (npm, PyPI, Go modules, Maven jars and the like) are updated by the application's own build, not by a new base image. A recent report for the running digest with no fixable HIGH or CRITICAL dependency finding left unaccepted shows the build keeps them patched.",
  threat: "An attacker exploits a published vulnerability in a library the application bundles, long after its fix.",
  references: { nsaCisa: ["secure-images"], kubescape: ["C-0083", "C-0085"] },
  evidence: "scanner-reports",
  fixSummary:
    "Scan the running image digest with Trivy or Grype, upgrade the vulnerable dependencies in the lock file, and rebuild the image.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when no recent report exists for the running digest (status.containerStatuses[].imageID) or the newest has unaccepted fixable HIGH/CRITICAL findings in application dependencies; not-evaluated until reports are ingested.",
      evaluate: (facts) =>
        judgeVulnerabilityReport(facts, facts.dependencyReport, {
          fieldPath: `${containerPath(facts)}.image`,
          packages: APP_PACKAGES,
        }),
      examples: {
        pass: [secureKubernetesFacts()],
        fail: [
          secureKubernetesFacts({ dependencyReport: { value: null } }),
          secureKubernetesFacts({ dependencyReport: { value: { fixableHighOrCritical: [ghsa] } } }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when no recent report exists for the running image digest or the newest has unaccepted fixable HIGH/CRITICAL findings in application dependencies; not-evaluated until reports are ingested.",
      evaluate: (facts) =>
        judgeVulnerabilityReport(facts, facts.dependencyReport, { fieldPath: "Image", packages: APP_PACKAGES }),
      examples: {
        pass: [secureDockerFacts()],
        fail: [
          secureDockerFacts({ dependencyReport: { value: { scannedAt: staleDate } } }),
          secureDockerFacts({ dependencyReport: { value: { fixableHighOrCritical: [ghsa] } } }),
        ],
      },
    },
  },
});
