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

/** Grype JSON: `grype <image> -o json`. */
export function readGrypeJson(doc: Json, f: Fields): ReportContent {
  const descriptor = f.object(doc, "descriptor", "");
  const source = f.object(doc, "source", "");
  const target = f.optObject(source, "target", "source") ?? {};
  const digests: ReportDigest[] = [];
  const imageId = f.optDigest(target, "imageID", "source.target");
  if (imageId) digests.push({ kind: "config", digest: imageId });
  const manifest = f.optDigest(target, "manifestDigest", "source.target");
  if (manifest) digests.push({ kind: "manifest", digest: manifest });
  f.strings(target, "repoDigests", "source.target").forEach((reference, i) => {
    const digest = digestIn(reference.slice(reference.lastIndexOf("@") + 1));
    if (!digest) f.fail(`source.target.repoDigests[${i}]`, "not a repository digest");
    digests.push({ kind: "repository", digest });
  });
  const version = f.optString(descriptor, "version", "descriptor");
  return {
    format: "grype-json",
    scanner: "Grype",
    scannerVersion: version && version !== "[not provided]" ? version : null,
    scannedAt: f.optTime(descriptor, "timestamp", "descriptor"),
    artifact: f.optString(target, "userInput", "source.target") ?? "",
    digests,
    subject: null,
    scanned: { vulnerabilities: true, secrets: false },
    vulnerabilities: f.objects(doc, "matches", "").map(([match, path]) => readMatch(match, path, f)),
    secrets: [],
    statements: [],
  };
}

function readMatch(match: Json, path: string, f: Fields): ReportVulnerability {
  const v = f.object(match, "vulnerability", path);
  const vPath = `${path}.vulnerability`;
  const artifact = f.object(match, "artifact", path);
  const aPath = `${path}.artifact`;
  const fix = f.optObject(v, "fix", vPath) ?? {};
  const versions = f.strings(fix, "versions", `${vPath}.fix`);
  const fixed = f.optString(fix, "state", `${vPath}.fix`) === "fixed" && versions.length > 0;
  const epss = f.objects(v, "epss", vPath).map(([e, ePath]) => f.optNumber(e, "epss", ePath) ?? 0);
  const type = f.optString(artifact, "type", aPath) ?? "";
  const urls = f.strings(v, "urls", vPath);
  return {
    id: f.string(v, "id", vPath),
    package: f.string(artifact, "name", aPath),
    version: f.optString(artifact, "version", aPath) ?? "",
    packageType: type,
    class: packageClassOf(type),
    severity: normalizeSeverity(f.optString(v, "severity", vPath)),
    fixedVersion: fixed ? versions.join(", ") : null,
    fixable: fixed,
    title: f.optString(v, "description", vPath)?.slice(0, 200) ?? null,
    link: f.optString(v, "dataSource", vPath) || urls[0] || null,
    epss: epss.length > 0 ? Math.max(...epss) : null,
    knownExploited: (f.optArray(v, "knownExploited", vPath) ?? []).length > 0,
  };
}
