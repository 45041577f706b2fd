import type { Fields } from "./fields";
import {
  digestIn,
  normalizeSeverity,
  packageClassOf,
  type ReportContent,
  type ReportDigest,
  type ReportSecret,
  type ReportVulnerability,
} from "./model";

type Json = Record<string, unknown>;

/** Trivy JSON (`SchemaVersion: 2`): `trivy image -f json`. */
export function readTrivyJson(doc: Json, f: Fields): ReportContent {
  const schema = doc.SchemaVersion;
  if (schema !== 2) f.fail("SchemaVersion", `unsupported schema version ${JSON.stringify(schema).slice(0, 20)}`);
  const metadata = f.optObject(doc, "Metadata", "") ?? {};
  const digests: ReportDigest[] = [];
  const imageId = f.optDigest(metadata, "ImageID", "Metadata");
  if (imageId) digests.push({ kind: "config", digest: imageId });
  f.strings(metadata, "RepoDigests", "Metadata").forEach((reference, i) => {
    const digest = digestIn(reference.slice(reference.lastIndexOf("@") + 1));
    if (!digest) f.fail(`Metadata.RepoDigests[${i}]`, "not a repository digest");
    digests.push({ kind: "repository", digest });
  });
  const trivy = f.optObject(doc, "Trivy", "");
  const vulnerabilities: ReportVulnerability[] = [];
  const secrets: ReportSecret[] = [];
  let scannedPackages = false;
  for (const [result, path] of f.objects(doc, "Results", "")) {
    const resultClass = f.optString(result, "Class", path) ?? "";
    const target = f.optString(result, "Target", path) ?? "";
    const type = f.optString(result, "Type", path) ?? "";
    if (resultClass === "os-pkgs" || resultClass === "lang-pkgs") scannedPackages = true;
    for (const [v, vPath] of f.objects(result, "Vulnerabilities", path)) {
      vulnerabilities.push(readVulnerability(v, vPath, f, resultClass === "os-pkgs" ? "os" : type));
    }
    for (const [s, sPath] of f.objects(result, "Secrets", path)) {
      const layer = f.optObject(s, "Layer", sPath);
      secrets.push({
        ruleId: f.string(s, "RuleID", sPath),
        severity: normalizeSeverity(f.optString(s, "Severity", sPath)),
        title: f.optString(s, "Title", sPath) ?? null,
        file: target,
        layer:
          (layer &&
            (f.optString(layer, "Digest", `${sPath}.Layer`) || f.optString(layer, "DiffID", `${sPath}.Layer`))) ||
          null,
      });
    }
  }
  const artifactType = f.optString(doc, "ArtifactType", "") ?? "";
  return {
    format: "trivy-json",
    scanner: "Trivy",
    scannerVersion: (trivy && f.optString(trivy, "Version", "Trivy")) || null,
    scannedAt: f.optTime(doc, "CreatedAt", ""),
    artifact: f.optString(doc, "ArtifactName", "") ?? "",
    digests,
    subject: null,
    scanned: {
      vulnerabilities:
        scannedPackages || (artifactType === "container_image" && vulnerabilities.length === 0 && secrets.length === 0),
      secrets: secrets.length > 0,
    },
    vulnerabilities,
    secrets,
    statements: [],
  };
}

function readVulnerability(v: Json, path: string, f: Fields, type: string): ReportVulnerability {
  const fixedVersion = f.optString(v, "FixedVersion", path) || null;
  const status = f.optString(v, "Status", path);
  const identifier = f.optObject(v, "PkgIdentifier", path);
  const purl = identifier ? f.optString(identifier, "PURL", `${path}.PkgIdentifier`) : undefined;
  const packageType = type === "os" ? (purlType(purl) ?? "os") : type || (purlType(purl) ?? "");
  return {
    id: f.string(v, "VulnerabilityID", path),
    package: f.string(v, "PkgName", path),
    version: f.optString(v, "InstalledVersion", path) ?? "",
    packageType,
    class: type === "os" ? "os" : packageClassOf(packageType),
    severity: normalizeSeverity(f.optString(v, "Severity", path)),
    fixedVersion,
    fixable: fixedVersion !== null && (status === undefined || status === "fixed"),
    title: f.optString(v, "Title", path) ?? null,
    link: f.optString(v, "PrimaryURL", path) ?? null,
    epss: null,
    knownExploited: false,
  };
}

/** `deb` from `pkg:deb/debian/bash@5.0`. */
export function purlType(purl: string | undefined | null): string | undefined {
  const match = /^pkg:([a-zA-Z0-9.+-]+)\//.exec(purl ?? "");
  return match?.[1]?.toLowerCase();
}
