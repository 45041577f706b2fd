import { DEFAULT_MAX_REPORT_AGE_DAYS } from "@/lib/checks/support/reports";
import { Prisma, type Db } from "@/lib/db";
import { DIGEST_PATTERN, type DigestKind } from "@/lib/reports/model";
import { isWholeFleet, type Access } from "@/lib/scope/access-scope";
import { accessSql } from "./scope";

const DAY_MS = 86_400_000;
export const IMAGE_REPORTS_LIMIT = 50;

export interface ImageDigestRow {
  digest: string;
  /** The kinds the held reports name it as (empty when only a running container knows it). */
  kinds: DigestKind[];
  /** A running container (within the caller's access) records it. */
  isOnContainer: boolean;
}

export interface ImageReportRow {
  id: string;
  format: string;
  scanner: string;
  scannerVersion: string | null;
  scannedAt: Date;
  receivedAt: Date;
  via: string;
  scansVulnerabilities: boolean;
  scansSecrets: boolean;
  vulnerabilities: number;
  secrets: number;
  /** The digest by which it belongs to this image (the one asked for, else one a running container shares). */
  matchedDigest: string;
  /** Null for a VEX document, which names products without saying which kind of digest each is. */
  matchedKind: DigestKind | null;
  /** Older than the report-age limit of checks 9 and 10. */
  isStale: boolean;
  /** A newer report of the same kind replaced it; kept until the retention prunes it. */
  isSuperseded: boolean;
}

export interface ImageView {
  /** The digest the page was asked for. */
  digest: string;
  digests: ImageDigestRow[];
  /** References it runs as and the names its reports were made for. */
  names: string[];
  reports: ImageReportRow[];
  /** Workloads within the caller's access running it now. */
  runningWorkloads: number;
  maxReportAgeDays: number;
}

interface ClosureSql {
  digests: string[] | null;
  containerDigests: string[] | null;
  names: string[] | null;
  running: bigint;
}

interface ReportSql extends Omit<ImageReportRow, "vulnerabilities" | "matchedDigest" | "matchedKind" | "isStale"> {
  artifact: string;
  vulnerabilities: bigint;
  digests: { digest: string; kind: DigestKind }[];
}

/** Current containers of live workloads within the caller's access (aliases `c` and `w`). */
export function runningContainersSql(access: Access): Prisma.Sql {
  return Prisma.sql`FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
    WHERE c."goneAt" IS NULL ${accessSql(access)}`;
}

/**
 * Every digest the image is known by, one step out from the one asked for: those recorded beside it on running
 * containers the caller may see, and those named beside it by a held report. Then the workloads within access
 * running any of them (a GIN overlap on Container.digests).
 */
async function closureOf(db: Db, access: Access, digest: string): Promise<ClosureSql | undefined> {
  const running = runningContainersSql(access);
  const rows = await db.$queryRaw<ClosureSql[]>(Prisma.sql`
    WITH seen AS (
      SELECT unnest(c."digests") AS digest ${running} AND c."digests" @> ARRAY[${digest}]
      UNION
      SELECT d2."digest" FROM "ReportDigest" d1
        JOIN "ReportDigest" d2 ON d2."reportId" = d1."reportId" WHERE d1."digest" = ${digest}
      UNION SELECT ${digest}),
    known AS (SELECT ARRAY_AGG(DISTINCT digest) AS digests FROM seen),
    hits AS (SELECT w."id", c."image", c."digests" ${running} AND c."digests" && (SELECT digests FROM known))
    SELECT known."digests",
      (SELECT ARRAY_AGG(DISTINCT x) FROM hits, unnest(hits."digests") x WHERE x = ANY(known."digests"))
        AS "containerDigests",
      (SELECT ARRAY_AGG(DISTINCT hits."image") FROM hits) AS "names",
      (SELECT COUNT(DISTINCT hits."id") FROM hits) AS "running"
    FROM known`);
  return rows[0];
}

/** Reports naming any of the digests, current first, newest first, with their counts (indexed by report id). */
async function reportsOf(db: Db, digests: string[]): Promise<ReportSql[]> {
  return db.$queryRaw<ReportSql[]>(Prisma.sql`
    SELECT r."id", r."format", r."scanner", r."scannerVersion", r."scannedAt", r."receivedAt", r."via",
      r."artifact", r."scansVulnerabilities", r."scansSecrets", r."supersededAt" IS NOT NULL AS "isSuperseded",
      jsonb_array_length(r."secrets") AS "secrets",
      (SELECT COUNT(*) FROM "ReportVulnerability" v WHERE v."reportId" = r."id") AS "vulnerabilities",
      (SELECT json_agg(json_build_object('digest', d."digest", 'kind', d."kind") ORDER BY d."digest")
        FROM "ReportDigest" d WHERE d."reportId" = r."id") AS "digests"
    FROM "ScanReport" r
    WHERE r."id" IN (SELECT d."reportId" FROM "ReportDigest" d WHERE d."digest" = ANY(${digests}::text[]))
    ORDER BY r."supersededAt" IS NULL DESC, r."scannedAt" DESC, r."id"
    LIMIT ${IMAGE_REPORTS_LIMIT}`);
}

const KIND_ORDER: DigestKind[] = ["config", "manifest", "repository"];

/** The digest a report shares with the one asked for, else with a running container (image ID first). */
function matchOf(named: ReportSql["digests"], asked: string, onContainers: Set<string>, isScan: boolean) {
  const byKind = [...named].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const match = named.find((d) => d.digest === asked) ?? byKind.find((d) => onContainers.has(d.digest)) ?? byKind[0];
  return { matchedDigest: match?.digest ?? asked, matchedKind: isScan ? (match?.kind ?? null) : null };
}

/**
 * The image known by `digest`: its digests, names, the reports held for it and how many workloads run it.
 * Chosen: a caller scoped to part of the fleet sees an image only while a workload within that scope runs it
 * (reports name no team or namespace, so an image nobody of theirs runs, and its secrets' paths, stay hidden); the
 * whole fleet also sees images nothing runs. Null when not visible or unknown.
 */
export async function getImage(db: Db, access: Access, digest: string, now = new Date()): Promise<ImageView | null> {
  if (!DIGEST_PATTERN.test(digest)) return null;
  const closure = await closureOf(db, access, digest);
  const digests = closure?.digests ?? [digest];
  const running = Number(closure?.running ?? 0);
  if (running === 0 && !isWholeFleet(access)) return null;
  const reports = await reportsOf(db, digests);
  if (running === 0 && reports.length === 0) return null;
  const onContainers = new Set(closure?.containerDigests ?? []);
  const kinds = new Map<string, Set<DigestKind>>();
  // A VEX document names products, not which kind of digest each is: only scanners' reports tell kinds.
  for (const r of reports.filter((r) => r.scansVulnerabilities || r.scansSecrets))
    for (const d of r.digests) kinds.set(d.digest, (kinds.get(d.digest) ?? new Set()).add(d.kind));
  const limit = DEFAULT_MAX_REPORT_AGE_DAYS;
  return {
    digest,
    digests: digests
      .map((d) => ({ digest: d, kinds: [...(kinds.get(d) ?? [])], isOnContainer: onContainers.has(d) }))
      .sort((a, b) => rankOf(a) - rankOf(b) || a.digest.localeCompare(b.digest)),
    names: [...new Set([...(closure?.names ?? []), ...reports.map((r) => r.artifact)])].filter(Boolean).sort(),
    reports: reports.map(({ digests: named, artifact: _artifact, ...r }) => ({
      ...r,
      ...matchOf(named, digest, onContainers, r.scansVulnerabilities || r.scansSecrets),
      vulnerabilities: Number(r.vulnerabilities),
      secrets: Number(r.secrets),
      isStale: now.getTime() - r.scannedAt.getTime() > limit * DAY_MS,
    })),
    runningWorkloads: running,
    maxReportAgeDays: limit,
  };
}

function rankOf(row: ImageDigestRow): number {
  const best = Math.min(...row.kinds.map((k) => KIND_ORDER.indexOf(k)));
  return Number.isFinite(best) ? best : KIND_ORDER.length;
}

/** Current reports of the image that scan for vulnerabilities, and those that scan for secrets. */
export function currentReportIds(image: ImageView, kind: "vulnerabilities" | "secrets"): string[] {
  return image.reports
    .filter((r) => !r.isSuperseded && (kind === "vulnerabilities" ? r.scansVulnerabilities : r.scansSecrets))
    .map((r) => r.id);
}
