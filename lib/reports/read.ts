import { parseAllDocuments } from "yaml";
import { readCycloneDx } from "./cyclonedx";
import { Fields, isObject, ReportError } from "./fields";
import { readGrypeJson } from "./grype";
import { withContentHash, type ReportContent, type ReportVulnerability, type ScanReport } from "./model";
import { OPENVEX_CONTEXT, readOpenVex } from "./openvex";
import { readTrivyJson } from "./trivy";
import { readTrivyOperator } from "./trivy-operator";

/** The largest report read (bytes); larger input is refused while it is read, never buffered whole. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

type Json = Record<string, unknown>;

const TRIVY_OPERATOR_GROUP = "aquasecurity.github.io/";

/** Format detection, in one place: which reader a parsed document goes to. */
function readDocument(doc: unknown, f: Fields): ReportContent[] {
  if (!isObject(doc)) f.fail("", "expected a JSON object at the top level");
  if ("SchemaVersion" in doc) return [readTrivyJson(doc, f)];
  if (doc.bomFormat === "CycloneDX") return [readCycloneDx(doc, f)];
  if (typeof doc["@context"] === "string" && doc["@context"].startsWith(OPENVEX_CONTEXT)) return [readOpenVex(doc, f)];
  if ("matches" in doc && "source" in doc) return [readGrypeJson(doc, f)];
  if (typeof doc.apiVersion === "string" && doc.apiVersion.startsWith(TRIVY_OPERATOR_GROUP)) {
    if (doc.kind === "VulnerabilityReport" || doc.kind === "ExposedSecretReport")
      return [readTrivyOperator(doc, f, doc.kind)];
    f.fail("kind", `${String(doc.kind).slice(0, 40)} is not a vulnerability or secret report`);
  }
  if (Array.isArray(doc.items) && typeof doc.kind === "string" && doc.kind.endsWith("List")) {
    return doc.items.flatMap((item, i) => readDocument(item, new Fields(`${f.file}#items[${i}]`)));
  }
  f.fail("", "not a Trivy, Grype, CycloneDX, trivy-operator or OpenVEX report");
}

function parse(file: string, text: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return [JSON.parse(text)];
    } catch (error) {
      // V8 quotes the input in some messages (`Unexpected token 's', "[sk_live…"... is not valid JSON`): never echo it.
      const reason = ((error as Error).message.split(', "')[0] ?? "").slice(0, 80);
      throw new ReportError(file, "", `not valid JSON (${reason})`);
    }
  }
  const docs = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) throw new ReportError(file, `document ${i}`, "not valid JSON or YAML");
    return doc.toJS({ maxAliasCount: 100 });
  });
}

/** One vulnerability per id, package and version (scanners repeat a match per location). */
function dedupe(vulnerabilities: ReportVulnerability[]): ReportVulnerability[] {
  const seen = new Map<string, ReportVulnerability>();
  for (const v of vulnerabilities) {
    const key = `${v.id}\0${v.package}\0${v.version}`;
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
}

/**
 * Reads every report in one file's text. Throws a ReportError naming the file and field on anything it cannot
 * read, so a file is taken whole or not at all.
 */
export function readReports(file: string, text: string): ScanReport[] {
  if (text.length > MAX_REPORT_BYTES) throw new ReportError(file, "", `larger than ${MAX_REPORT_BYTES} bytes`);
  const docs = parse(file, text).filter((doc) => doc !== null && doc !== undefined);
  if (docs.length === 0) throw new ReportError(file, "", "empty");
  return docs.flatMap((doc, i) =>
    readDocument(doc as Json, new Fields(docs.length > 1 ? `${file}#${i}` : file)).map(finish),
  );
}

function finish(report: ReportContent): ScanReport {
  return withContentHash({ ...report, vulnerabilities: dedupe(report.vulnerabilities) });
}

/**
 * One trivy-operator custom resource as a cluster's API server lists it (items of a list carry no kind). `where`
 * names the object (`VulnerabilityReport shop/replicaset-api-…`) in the ReportError it throws.
 */
export function readTrivyOperatorObject(
  object: unknown,
  kind: "VulnerabilityReport" | "ExposedSecretReport",
  where: string,
): ScanReport {
  const f: Fields = new Fields(where);
  if (!isObject(object)) f.fail("", "expected an object");
  const report = finish(readTrivyOperator(object, f, kind));
  // The operator writes each report beside its workload: one naming another namespace's workload is forged.
  const namespace = isObject(object.metadata) ? object.metadata.namespace : undefined;
  if (report.subject && report.subject.namespace !== namespace)
    f.fail('metadata.labels["trivy-operator.resource.namespace"]', "names a namespace other than the report's own");
  return report;
}

/** Reads a stream to text, refusing it as soon as it passes `limit` bytes. */
export async function readCapped(
  stream: AsyncIterable<Buffer | string>,
  file: string,
  limit = MAX_REPORT_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw new ReportError(file, "", `larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
