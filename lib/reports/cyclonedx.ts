import type { Fields } from "./fields";
import {
  digestIn,
  normalizeSeverity,
  packageClassOf,
  severityRank,
  type ReportContent,
  type ReportDigest,
  type ReportSeverity,
  type ReportVulnerability,
  type VexStatement,
  type VexStatus,
} from "./model";
import { purlType } from "./trivy";

type Json = Record<string, unknown>;

const SPEC_VERSIONS = new Set(["1.4", "1.5", "1.6", "1.7"]);

/** CycloneDX analysis states as VEX statuses; `not_affected`, `false_positive` and `resolved` remove a finding. */
const ANALYSIS_STATUS: Record<string, VexStatus> = {
  not_affected: "not_affected",
  false_positive: "not_affected",
  resolved: "fixed",
  resolved_with_pedigree: "fixed",
  exploitable: "affected",
  in_triage: "under_investigation",
};

interface Component {
  name: string;
  version: string;
  purl: string;
}

/** CycloneDX 1.4–1.7 JSON: an SBOM with `vulnerabilities` (Trivy `-f cyclonedx`), or a VEX document without components. */
export function readCycloneDx(doc: Json, f: Fields): ReportContent {
  const spec = f.string(doc, "specVersion", "");
  if (!SPEC_VERSIONS.has(spec)) f.fail("specVersion", `unsupported CycloneDX version ${spec.slice(0, 10)}`);
  const metadata = f.optObject(doc, "metadata", "") ?? {};
  const subject = f.optObject(metadata, "component", "metadata") ?? {};
  const digests = subjectDigests(subject, f);
  const components = new Map<string, Component>();
  for (const [c, path] of f.objects(doc, "components", "")) {
    const component = {
      name: f.optString(c, "name", path) ?? "",
      version: f.optString(c, "version", path) ?? "",
      purl: f.optString(c, "purl", path) ?? "",
    };
    components.set(f.optString(c, "bom-ref", path) ?? component.purl, component);
    if (component.purl) components.set(component.purl, component);
  }
  const isVex = !("components" in doc) && !("component" in metadata);
  const vulnerabilities: ReportVulnerability[] = [];
  const statements: VexStatement[] = [];
  for (const [v, path] of f.objects(doc, "vulnerabilities", "")) {
    const id = f.string(v, "id", path);
    const affected = f.objects(v, "affects", path).map(([a, aPath]) => ({
      ref: f.string(a, "ref", aPath),
      unaffected: f
        .objects(a, "versions", aPath)
        .filter(([ver, vPath]) => f.optString(ver, "status", vPath) === "unaffected")
        .map(([ver, vPath]) => f.optString(ver, "version", vPath) ?? ""),
    }));
    const analysis = f.optObject(v, "analysis", path);
    const state = analysis && f.optString(analysis, "state", `${path}.analysis`);
    if (analysis && state) {
      const status = ANALYSIS_STATUS[state];
      if (!status) f.fail(`${path}.analysis.state`, "not a CycloneDX analysis state");
      statements.push({
        vulnerability: id,
        status,
        justification: f.optString(analysis, "justification", `${path}.analysis`) ?? null,
        products: digests.map((d) => d.digest),
        packages: affected.map((a) => decodeURIComponent(refPurl(a.ref))),
      });
    }
    if (isVex) continue;
    const severity = ratingSeverity(v, path, f);
    const recommendation = f.optString(v, "recommendation", path);
    const advisories = f.objects(v, "advisories", path).map(([a, aPath]) => f.optString(a, "url", aPath));
    for (const a of affected) {
      const component = components.get(a.ref) ?? components.get(refPurl(a.ref));
      const purl = component?.purl || refPurl(a.ref);
      const type = purlType(purl) ?? "";
      const fixedVersion = a.unaffected.join(", ") || fixedIn(recommendation);
      vulnerabilities.push({
        id,
        package: component?.name || purl,
        version: component?.version ?? "",
        packageType: type,
        class: packageClassOf(type),
        severity,
        fixedVersion,
        fixable: a.unaffected.length > 0 || Boolean(recommendation),
        title: f.optString(v, "description", path)?.slice(0, 200) ?? null,
        link: advisories[0] ?? null,
        epss: null,
        knownExploited: false,
      });
    }
  }
  const tool = toolOf(metadata, f);
  return {
    format: isVex ? "cyclonedx-vex" : "cyclonedx",
    scanner: tool.name,
    scannerVersion: tool.version,
    scannedAt: f.optTime(metadata, "timestamp", "metadata"),
    artifact: f.optString(subject, "name", "metadata.component") ?? "",
    digests,
    subject: null,
    scanned: { vulnerabilities: !isVex && Array.isArray(doc.vulnerabilities), secrets: false },
    vulnerabilities,
    secrets: [],
    statements,
  };
}

function subjectDigests(subject: Json, f: Fields): ReportDigest[] {
  const digests: ReportDigest[] = [];
  const purl = f.optString(subject, "purl", "metadata.component");
  const inPurl = purl?.startsWith("pkg:oci/") ? digestIn(purl) : null;
  if (inPurl) digests.push({ kind: "repository", digest: inPurl });
  for (const [p, path] of f.objects(subject, "properties", "metadata.component")) {
    const name = f.optString(p, "name", path);
    const value = f.optString(p, "value", path) ?? "";
    if (name !== "aquasecurity:trivy:ImageID" && name !== "aquasecurity:trivy:RepoDigest") continue;
    const digest = digestIn(value.slice(value.lastIndexOf("@") + 1));
    if (!digest) f.fail(`${path}.value`, "not a valid digest");
    digests.push({ kind: name.endsWith("ImageID") ? "config" : "repository", digest });
  }
  return digests;
}

/** The rating of the vulnerability's own source, else the highest. */
function ratingSeverity(v: Json, path: string, f: Fields): ReportSeverity {
  const source = f.optObject(v, "source", path);
  const sourceName = source && f.optString(source, "name", `${path}.source`);
  const ratings = f.objects(v, "ratings", path).map(([r, rPath]) => {
    const rSource = f.optObject(r, "source", rPath);
    return {
      source: rSource && f.optString(rSource, "name", `${rPath}.source`),
      severity: normalizeSeverity(f.optString(r, "severity", rPath)),
    };
  });
  const own = ratings.find((r) => r.source === sourceName && r.severity !== "UNKNOWN");
  if (own) return own.severity;
  return ratings.map((r) => r.severity).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? "UNKNOWN";
}

/** The purl of a BOM-Link `urn:cdx:<serial>/<version>#<purl>`, or the ref itself. */
function refPurl(ref: string): string {
  return ref.startsWith("urn:cdx:") ? ref.slice(ref.indexOf("#") + 1) : ref;
}

/** `2.0.5-1+deb10u1` from Trivy's "Upgrade libidn2-0 to version 2.0.5-1+deb10u1". */
function fixedIn(recommendation: string | undefined): string | null {
  if (!recommendation) return null;
  return /\bversions? (\S+(?:, \S+)*)$/.exec(recommendation)?.[1] ?? recommendation.slice(0, 100);
}

function toolOf(metadata: Json, f: Fields): { name: string; version: string | null } {
  const tools = metadata.tools;
  const list = Array.isArray(tools)
    ? f.objects(metadata, "tools", "metadata")
    : f.objects(f.optObject(metadata, "tools", "metadata") ?? {}, "components", "metadata.tools");
  const first = list[0];
  if (!first) return { name: "CycloneDX", version: null };
  const [tool, path] = first;
  const name = f.optString(tool, "name", path) ?? "CycloneDX";
  return { name: name.toLowerCase() === "trivy" ? "Trivy" : name, version: f.optString(tool, "version", path) ?? null };
}
