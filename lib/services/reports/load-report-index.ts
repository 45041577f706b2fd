import { Prisma, type Db } from "@/lib/db";
import type { WorkloadInput } from "@/lib/domain/facts";
import {
  digestsOf,
  ReportIndex,
  type IndexedException,
  type IndexedReport,
  type IndexedStatement,
  type ReportDigest,
  type ReportSecret,
} from "@/lib/reports";
import { listActiveVulnerabilityExceptions } from "./vulnerability-exceptions";

/** What stays the same for a whole run: whether any report is held, and the active exceptions. */
export interface ReportContext {
  /** False while no report at all is held: batches then skip the report queries. */
  anyReport: boolean;
  anyVulnerabilityReport: boolean;
  exceptions: IndexedException[];
  /**
   * Changes when a report is ingested, superseded or pruned, or a vulnerability exception changes: part of the
   * inspect epoch, so a Docker poll then reads every container again and matches the reports.
   */
  version: string;
}

export async function loadReportContext(db: Db, now: Date): Promise<ReportContext> {
  const [held] = await db.$queryRaw<{ any: boolean; vulnerabilities: boolean; version: string }[]>(Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM "ScanReport") AS "any",
      EXISTS (SELECT 1 FROM "ScanReport" WHERE "scansVulnerabilities") AS "vulnerabilities",
      (SELECT concat_ws('/', count(*), max("receivedAt"), max("supersededAt")) FROM "ScanReport") AS "version"`);
  const exceptions = await listActiveVulnerabilityExceptions(db, now);
  return {
    anyReport: held?.any ?? false,
    anyVulnerabilityReport: held?.vulnerabilities ?? false,
    exceptions,
    version: JSON.stringify([held?.version ?? "", exceptions]),
  };
}

interface ReportRow {
  id: string;
  scanner: string;
  scannedAt: Date;
  targetId: string | null;
  subjectNamespace: string | null;
  subjectKind: string | null;
  subjectName: string | null;
  subjectContainer: string | null;
  scansVulnerabilities: boolean;
  scansSecrets: boolean;
  secrets: ReportSecret[];
  digests: ReportDigest[] | null;
}

interface FindingRow {
  reportId: string;
  vulnerabilityId: string;
  severity: "HIGH" | "CRITICAL";
  packageClass: "os" | "application";
  package: string;
  fixedVersion: string | null;
}

/**
 * The current reports, fixable HIGH/CRITICAL findings and VEX statements for one batch of workloads: those naming
 * one of its digests, and trivy-operator reports about its namespaces. Four indexed queries per batch.
 */
export async function loadReportIndex(
  db: Db,
  batch: readonly WorkloadInput[],
  context: ReportContext,
): Promise<ReportIndex> {
  const containers = batch.flatMap((w) => w.containers);
  const digests = [...new Set(containers.flatMap((f) => digestsOf(f).map((d) => d.digest)))];
  const namespaces = [
    ...new Set(containers.filter((f) => f.platform === "kubernetes").map((f) => f.workload.namespace)),
  ];
  if (!context.anyReport || (digests.length === 0 && namespaces.length === 0))
    return new ReportIndex({
      reports: [],
      statements: [],
      exceptions: [],
      anyVulnerabilityReport: context.anyVulnerabilityReport,
    });
  const rows = await db.$queryRaw<ReportRow[]>(Prisma.sql`
    SELECT r."id", r."scanner", r."scannedAt", r."targetId", r."subjectNamespace", r."subjectKind", r."subjectName",
      r."subjectContainer", r."scansVulnerabilities", r."scansSecrets", r."secrets",
      (SELECT json_agg(json_build_object('kind', d."kind", 'digest', d."digest")) FROM "ReportDigest" d
        WHERE d."reportId" = r."id") AS "digests"
    FROM "ScanReport" r
    WHERE r."supersededAt" IS NULL AND (r."scansVulnerabilities" OR r."scansSecrets") AND (
      r."id" IN (SELECT d."reportId" FROM "ReportDigest" d WHERE d."digest" = ANY(${digests}::text[]))
      OR (r."subjectName" IS NOT NULL AND r."subjectNamespace" = ANY(${namespaces}::text[])))`);
  const ids = rows.map((r) => r.id);
  const findings =
    ids.length === 0
      ? []
      : await db.$queryRaw<FindingRow[]>(Prisma.sql`
    SELECT "reportId", "vulnerabilityId", "severity", "packageClass", "package", "fixedVersion"
    FROM "ReportVulnerability"
    WHERE "reportId" = ANY(${ids}::uuid[]) AND "fixable" AND "severity" IN ('HIGH', 'CRITICAL')
    ORDER BY "reportId", CASE "severity" WHEN 'CRITICAL' THEN 0 ELSE 1 END, "vulnerabilityId", "package"`);
  const statements =
    digests.length === 0
      ? []
      : await db.$queryRaw<IndexedStatement[]>(Prisma.sql`
    SELECT s."vulnerabilityId" AS "vulnerability", s."status", s."justification", s."products"
    FROM "VexStatement" s
    WHERE s."products" && ${digests}::text[] AND s."status" IN ('not_affected', 'fixed')`);
  const byReport = new Map<string, IndexedReport["findings"]>();
  for (const f of findings) {
    const list = byReport.get(f.reportId) ?? [];
    list.push({
      id: f.vulnerabilityId,
      severity: f.severity,
      class: f.packageClass,
      pkg: f.package,
      fixedVersion: f.fixedVersion,
    });
    byReport.set(f.reportId, list);
  }
  const reports: IndexedReport[] = rows.map((r) => ({
    id: r.id,
    scanner: r.scanner,
    scannedAt: r.scannedAt.toISOString(),
    digests: r.digests ?? [],
    subject: r.subjectName
      ? {
          namespace: r.subjectNamespace ?? "",
          kind: r.subjectKind ?? "",
          name: r.subjectName,
          container: r.subjectContainer ?? "",
        }
      : null,
    targetId: r.targetId,
    scanned: { vulnerabilities: r.scansVulnerabilities, secrets: r.scansSecrets },
    findings: byReport.get(r.id) ?? [],
    secrets: r.secrets,
  }));
  return new ReportIndex({
    reports,
    statements,
    exceptions: context.exceptions,
    anyVulnerabilityReport: context.anyVulnerabilityReport,
  });
}
