import { createHash } from "node:crypto";

/** The formats Rampart reads (CHECKS.md "Vulnerability and secret reports"). */
export const REPORT_FORMATS = [
  "trivy-json",
  "cyclonedx",
  "grype-json",
  "trivy-operator-vulnerability",
  "trivy-operator-secret",
  "openvex",
  "cyclonedx-vex",
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"] as const;
export type ReportSeverity = (typeof REPORT_SEVERITIES)[number];

/** `os` packages judge `image-vulnerability-scanned`, `application` ones `dependencies-scanned`. */
export const PACKAGE_CLASSES = ["os", "application"] as const;
export type PackageClass = (typeof PACKAGE_CLASSES)[number];

/** Which of an image's digests a report names: image config (image ID), platform manifest, or repository/index. */
export type DigestKind = "config" | "manifest" | "repository";

export interface ReportDigest {
  kind: DigestKind;
  digest: string;
}

export interface ReportVulnerability {
  /** CVE, GHSA or the scanner's own id. */
  id: string;
  package: string;
  version: string;
  /** The scanner's package type (`apk`, `deb`, `gemspec`, `npm`, …), or the purl type. */
  packageType: string;
  class: PackageClass;
  severity: ReportSeverity;
  /** Fixed version(s) as the scanner writes them, when it names one. */
  fixedVersion: string | null;
  fixable: boolean;
  title: string | null;
  link: string | null;
  epss: number | null;
  knownExploited: boolean;
}

/** A secret a scanner found in the image: never the matched text. */
export interface ReportSecret {
  ruleId: string;
  severity: ReportSeverity;
  title: string | null;
  /** Path of the file inside the image. */
  file: string;
  /** Digest of the layer that holds it, when the scanner says. */
  layer: string | null;
}

export const VEX_STATUSES = ["not_affected", "fixed", "affected", "under_investigation"] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

export interface VexStatement {
  vulnerability: string;
  status: VexStatus;
  justification: string | null;
  /** Image digests the statement names (from `pkg:oci/…@sha256%3A…` products). */
  products: string[];
  /** Package purls the statement narrows to, when given. */
  packages: string[];
}

/** trivy-operator's labels: the workload and container the report was made for. */
export interface KubernetesSubject {
  namespace: string;
  kind: string;
  name: string;
  container: string;
}

/** One report, whatever the scanner: what storage, matching and the checks read. */
export interface ScanReport {
  format: ReportFormat;
  scanner: string;
  scannerVersion: string | null;
  /** When the scanner ran (ISO 8601), when the report says. */
  scannedAt: string | null;
  /** The image reference or name the scanner was given. */
  artifact: string;
  digests: ReportDigest[];
  subject: KubernetesSubject | null;
  /** What this report can vouch for: a vulnerability scan, a secret scan (VEX documents are neither). */
  scanned: { vulnerabilities: boolean; secrets: boolean };
  vulnerabilities: ReportVulnerability[];
  secrets: ReportSecret[];
  statements: VexStatement[];
  /** sha256 of the normalised report: the same report ingested twice has the same hash. */
  contentHash: string;
}

export type ReportContent = Omit<ScanReport, "contentHash">;

/** Hash of the normalised content, which never holds a secret's matched text. */
export function withContentHash(report: ReportContent): ScanReport {
  const contentHash = createHash("sha256").update(JSON.stringify(report)).digest("hex");
  return { ...report, contentHash };
}

const OS_TYPES = new Set(["apk", "deb", "rpm", "alpm", "portage", "dpkg", "alpine", "debian", "ubuntu", "redhat"]);

/** Class of a package by its scanner type or purl type. */
export function packageClassOf(type: string): PackageClass {
  return OS_TYPES.has(type.toLowerCase()) ? "os" : "application";
}

const SEVERITY_ALIASES: Record<string, ReportSeverity> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  moderate: "MEDIUM",
  low: "LOW",
  negligible: "LOW",
  info: "LOW",
  none: "LOW",
};

/** CRITICAL/HIGH/MEDIUM/LOW as written; Grype `Negligible` = LOW, npm `moderate` = MEDIUM; anything else UNKNOWN. */
export function normalizeSeverity(value: string | null | undefined): ReportSeverity {
  return SEVERITY_ALIASES[(value ?? "").toLowerCase()] ?? "UNKNOWN";
}

export function severityRank(severity: ReportSeverity): number {
  return REPORT_SEVERITIES.length - REPORT_SEVERITIES.indexOf(severity);
}

/** The OCI digest grammar of CHECKS.md check 8. */
export const DIGEST_PATTERN = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** `sha256:…` from `repo@sha256:…`, a purl version `sha256%3A…`, or a bare digest; null when none. */
export function digestIn(text: string): string | null {
  const match = /(sha256|sha512)(?::|%3[aA])([0-9a-f]{64,128})(?![0-9a-f])/.exec(text);
  if (!match) return null;
  const digest = `${match[1]}:${match[2]}`;
  return DIGEST_PATTERN.test(digest) ? digest : null;
}

/** Whether a vulnerability counts against checks 9 and 10 before exceptions and VEX. */
export function isFixableHighOrCritical(v: ReportVulnerability): boolean {
  return v.fixable && (v.severity === "HIGH" || v.severity === "CRITICAL");
}
