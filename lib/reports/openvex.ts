import type { Fields } from "./fields";
import { digestIn, VEX_STATUSES, type ReportContent, type VexStatus } from "./model";

type Json = Record<string, unknown>;

export const OPENVEX_CONTEXT = "https://openvex.dev/ns";

/** OpenVEX v0.2.0: statements whose `pkg:oci/…@sha256%3A…` products name image digests. */
export function readOpenVex(doc: Json, f: Fields): ReportContent {
  const context = f.string(doc, "@context", "");
  const version = context.slice(OPENVEX_CONTEXT.length).replace(/^\//, "") || "v0.2.0";
  if (version !== "v0.2.0") f.fail("@context", `unsupported OpenVEX version ${version.slice(0, 20)}`);
  const statements = f.objects(doc, "statements", "").map(([s, path]) => {
    const vulnerability = f.object(s, "vulnerability", path);
    const status = f.string(s, "status", path);
    if (!(VEX_STATUSES as readonly string[]).includes(status)) f.fail(`${path}.status`, "not an OpenVEX status");
    const products = f.objects(s, "products", path);
    return {
      vulnerability: f.string(vulnerability, "name", `${path}.vulnerability`),
      status: status as VexStatus,
      justification: f.optString(s, "justification", path) ?? f.optString(s, "impact_statement", path) ?? null,
      products: products
        .map(([p, pPath]) => f.optString(p, "@id", pPath) ?? "")
        .filter((id) => id.startsWith("pkg:oci/"))
        .map((id) => digestIn(id))
        .filter((d): d is string => d !== null),
      packages: products.flatMap(([p, pPath]) =>
        f.objects(p, "subcomponents", pPath).map(([c, cPath]) => f.optString(c, "@id", cPath) ?? ""),
      ),
    };
  });
  return {
    format: "openvex",
    scanner: f.optString(doc, "author", "")?.slice(0, 100) ?? "OpenVEX",
    scannerVersion: null,
    scannedAt: f.optTime(doc, "timestamp", ""),
    artifact: "",
    digests: [...new Set(statements.flatMap((s) => s.products))].map((digest) => ({ kind: "repository", digest })),
    subject: null,
    scanned: { vulnerabilities: false, secrets: false },
    vulnerabilities: [],
    secrets: [],
    statements,
  };
}
