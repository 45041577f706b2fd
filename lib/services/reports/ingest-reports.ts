import { Prisma, type Db } from "@/lib/db";
import type { ScanReport } from "@/lib/reports";
import { recordAudit } from "@/lib/services/audit";
import { toStorable } from "@/lib/services/runs/storable-text";

export type IngestVia = "cli" | "api" | "upload" | "cluster";

export interface IngestOptions {
  via: IngestVia;
  /** The cluster a trivy-operator report was read from (label matching then applies there only). */
  targetId?: string;
  now?: Date;
  /** Who sent the reports (audited), and from where. */
  actor?: { email: string; source?: string | null };
}

export interface IngestedReport {
  id: string;
  contentHash: string;
  /** `stored`: new and current; `older`: new but a newer report of the same kind already covers it; `unchanged`: already held. */
  status: "stored" | "older" | "unchanged";
  vulnerabilities: number;
  secrets: number;
  statements: number;
}

/** Which reports replace which: vulnerability reports, secret reports; VEX documents add up and replace nothing. */
function kindOf(report: ScanReport): "vulnerabilities" | "secrets" | null {
  if (report.scanned.vulnerabilities) return "vulnerabilities";
  if (report.scanned.secrets) return "secrets";
  return null;
}

const clip = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));

/**
 * Stores reports, each once by content hash, in one transaction each: a report is stored whole or not at all.
 * A new report supersedes the older current reports of its kind that share one of its digests (or its
 * trivy-operator subject); if one of them is newer, the new report is stored already superseded.
 */
export async function ingestReports(db: Db, reports: ScanReport[], options: IngestOptions): Promise<IngestedReport[]> {
  const results: IngestedReport[] = [];
  for (const given of reports) results.push(await ingestOne(db, toStorable(given).value, options));
  if (options.actor && results.length > 0) {
    await recordAudit(db, {
      actor: options.actor.email,
      action: "reports.ingested",
      target: results.length === 1 ? (results[0]?.id ?? null) : `${results.length} reports`,
      detail: {
        via: options.via,
        stored: results.filter((r) => r.status !== "unchanged").length,
        unchanged: results.filter((r) => r.status === "unchanged").length,
      },
      source: options.actor.source ?? null,
    });
  }
  return results;
}

async function ingestOne(db: Db, report: ScanReport, options: IngestOptions): Promise<IngestedReport> {
  const now = options.now ?? new Date();
  const counts = {
    vulnerabilities: report.vulnerabilities.length,
    secrets: report.secrets.length,
    statements: report.statements.length,
  };
  return db.$transaction(async (tx) => {
    const existing = await tx.scanReport.findUnique({
      where: { contentHash: report.contentHash },
      select: { id: true },
    });
    if (existing) return { id: existing.id, contentHash: report.contentHash, status: "unchanged" as const, ...counts };
    const subject = report.subject;
    const created = await tx.scanReport.create({
      data: {
        contentHash: report.contentHash,
        format: report.format,
        scanner: report.scanner.slice(0, 200),
        scannerVersion: clip(report.scannerVersion, 100),
        scannedAt: report.scannedAt ? new Date(report.scannedAt) : now,
        receivedAt: now,
        via: options.via,
        artifact: report.artifact.slice(0, 1000),
        targetId: options.targetId ?? null,
        subjectNamespace: subject?.namespace ?? null,
        subjectKind: subject?.kind ?? null,
        subjectName: subject?.name ?? null,
        subjectContainer: subject?.container ?? null,
        scansVulnerabilities: report.scanned.vulnerabilities,
        scansSecrets: report.scanned.secrets,
        secrets: report.secrets.map((s) => ({ ...s, title: clip(s.title, 200), file: s.file.slice(0, 1000) })),
      },
      select: { id: true, scannedAt: true },
    });
    const reportId = created.id;
    const digests = new Map(report.digests.map((d) => [d.digest, d.kind]));
    await tx.reportDigest.createMany({ data: [...digests].map(([digest, kind]) => ({ reportId, digest, kind })) });
    await tx.reportVulnerability.createMany({
      data: report.vulnerabilities.map((v) => ({
        reportId,
        vulnerabilityId: v.id.slice(0, 200),
        package: v.package.slice(0, 500),
        version: v.version.slice(0, 200),
        packageType: v.packageType.slice(0, 50),
        packageClass: v.class,
        severity: v.severity,
        fixedVersion: clip(v.fixedVersion, 200),
        fixable: v.fixable,
        title: clip(v.title, 300),
        link: clip(v.link, 500),
        epss: v.epss,
        knownExploited: v.knownExploited,
      })),
      skipDuplicates: true,
    });
    await tx.vexStatement.createMany({
      data: report.statements.map((s) => ({
        reportId,
        vulnerabilityId: s.vulnerability.slice(0, 200),
        status: s.status,
        justification: clip(s.justification, 1000),
        products: s.products,
        packages: s.packages.map((p) => p.slice(0, 500)),
      })),
    });
    const kind = kindOf(report);
    const older = kind ? await supersede(tx, reportId, created.scannedAt, kind, now) : false;
    return {
      id: reportId,
      contentHash: report.contentHash,
      status: older ? ("older" as const) : ("stored" as const),
      ...counts,
    };
  });
}

/** Reports of the same kind about the same image: sharing a digest, or the same trivy-operator subject. */
function sameImage(kind: "vulnerabilities" | "secrets", reportId: string): Prisma.Sql {
  const column =
    kind === "vulnerabilities"
      ? Prisma.sql`o."scansVulnerabilities"`
      : Prisma.sql`o."scansSecrets" AND NOT o."scansVulnerabilities"`;
  return Prisma.sql`o."id" <> ${reportId}::uuid AND o."supersededAt" IS NULL AND ${column} AND (
    EXISTS (SELECT 1 FROM "ReportDigest" a JOIN "ReportDigest" b ON a."digest" = b."digest"
            WHERE a."reportId" = ${reportId}::uuid AND b."reportId" = o."id")
    OR EXISTS (SELECT 1 FROM "ScanReport" n WHERE n."id" = ${reportId}::uuid AND n."subjectName" IS NOT NULL
            AND n."subjectName" = o."subjectName" AND n."subjectNamespace" = o."subjectNamespace"
            AND n."subjectKind" = o."subjectKind" AND n."subjectContainer" = o."subjectContainer"
            AND n."targetId" IS NOT DISTINCT FROM o."targetId"))`;
}

/** Marks the older reports superseded; returns true when a newer one exists (then the new one is superseded). */
async function supersede(
  tx: Prisma.TransactionClient,
  reportId: string,
  scannedAt: Date,
  kind: "vulnerabilities" | "secrets",
  now: Date,
): Promise<boolean> {
  const newer = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT o."id" FROM "ScanReport" o WHERE ${sameImage(kind, reportId)} AND o."scannedAt" > ${scannedAt.toISOString()}::timestamp(3) LIMIT 1`);
  if (newer.length > 0) {
    await tx.scanReport.update({ where: { id: reportId }, data: { supersededAt: now } });
    return true;
  }
  await tx.$executeRaw(Prisma.sql`
    UPDATE "ScanReport" o SET "supersededAt" = ${now.toISOString()}::timestamp(3) WHERE ${sameImage(kind, reportId)}`);
  return false;
}
