import type { Fields } from "./fields";
import {
  digestIn,
  normalizeSeverity,
  packageClassOf,
  type ReportContent,
  type ReportDigest,
  type ReportVulnerability,
} from "./model";

type Json = Record<string, unknown>;

const LABEL = "trivy-operator.";

/** trivy-operator's `VulnerabilityReport` and `ExposedSecretReport` custom resources (JSON or YAML). */
export function readTrivyOperator(
  doc: Json,
  f: Fields,
  kind: "VulnerabilityReport" | "ExposedSecretReport",
): ReportContent {
  const metadata = f.object(doc, "metadata", "");
  const labels = f.optObject(metadata, "labels", "metadata") ?? {};
  const label = (name: string) => f.optString(labels, `${LABEL}${name}`, "metadata.labels") ?? "";
  const report = f.object(doc, "report", "");
  const scanner = f.optObject(report, "scanner", "report") ?? {};
  const artifact = f.optObject(report, "artifact", "report") ?? {};
  const registry = f.optObject(report, "registry", "report") ?? {};
  const digests: ReportDigest[] = [];
  const digest = f.optString(artifact, "digest", "report.artifact");
  if (digest) {
    const parsed = digestIn(digest);
    if (!parsed) f.fail("report.artifact.digest", "not a valid digest");
    digests.push({ kind: "repository", digest: parsed });
  }
  const repository = f.optString(artifact, "repository", "report.artifact") ?? "";
  const tag = f.optString(artifact, "tag", "report.artifact");
  const server = f.optString(registry, "server", "report.registry");
  const name = label("resource.name");
  const isSecrets = kind === "ExposedSecretReport";
  return {
    format: isSecrets ? "trivy-operator-secret" : "trivy-operator-vulnerability",
    scanner: f.optString(scanner, "name", "report.scanner") ?? "Trivy",
    scannerVersion: f.optString(scanner, "version", "report.scanner") ?? null,
    scannedAt: f.optTime(report, "updateTimestamp", "report") ?? f.optTime(metadata, "creationTimestamp", "metadata"),
    artifact: `${server ? `${server}/` : ""}${repository}${tag ? `:${tag}` : ""}`,
    digests,
    subject: name
      ? {
          namespace: label("resource.namespace") || (f.optString(metadata, "namespace", "metadata") ?? ""),
          kind: label("resource.kind"),
          name,
          container: label("container.name"),
        }
      : null,
    scanned: { vulnerabilities: !isSecrets, secrets: isSecrets },
    vulnerabilities: isSecrets
      ? []
      : f.objects(report, "vulnerabilities", "report").map(([v, path]) => readVulnerability(v, path, f)),
    secrets: isSecrets
      ? f.objects(report, "secrets", "report").map(([s, path]) => ({
          ruleId: f.string(s, "ruleID", path),
          severity: normalizeSeverity(f.optString(s, "severity", path)),
          title: f.optString(s, "title", path) ?? null,
          file: f.optString(s, "target", path) ?? "",
          layer: null,
        }))
      : [],
    statements: [],
  };
}

function readVulnerability(v: Json, path: string, f: Fields): ReportVulnerability {
  const fixedVersion = f.optString(v, "fixedVersion", path) || null;
  const pkg = f.string(v, "resource", path);
  const type = f.optString(v, "packageType", path) ?? "";
  return {
    id: f.string(v, "vulnerabilityID", path),
    package: pkg,
    version: f.optString(v, "installedVersion", path) ?? "",
    packageType: type,
    class: classOf(f.optString(v, "class", path), type, pkg),
    severity: normalizeSeverity(f.optString(v, "severity", path)),
    fixedVersion,
    fixable: fixedVersion !== null,
    title: f.optString(v, "title", path) ?? null,
    link: f.optString(v, "primaryLink", path) ?? null,
    epss: null,
    knownExploited: false,
  };
}

/**
 * Newer trivy-operator writes `class` (`os-pkgs`/`lang-pkgs`) or `packageType`; older reports write neither, and
 * then a package named like a path (Go modules, Maven coordinates, scoped npm) is taken as an application package.
 */
function classOf(resultClass: string | undefined, type: string, pkg: string) {
  if (resultClass === "os-pkgs") return "os" as const;
  if (resultClass === "lang-pkgs") return "application" as const;
  if (type) return packageClassOf(type);
  return /[/:]/.test(pkg) ? ("application" as const) : ("os" as const);
}
