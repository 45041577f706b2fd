import { Prisma, type Db } from "@/lib/db";
import { REPORT_SEVERITIES, type PackageClass, type ReportSeverity } from "@/lib/reports/model";
import type { VulnerabilityQuery } from "@/lib/scope/vulnerability-query";
import { isFleetWide, scopeSql, type ScopedFilter } from "./scope";
import { EXCEPTED_BY, exceptedJoins, IS_EXCEPTED, toExceptedBy, type ExceptedBy } from "./vulnerability-excepted";

export const VULNERABILITIES_LIMIT = 100;

export interface FleetVulnerabilityRow {
  vulnerabilityId: string;
  severity: ReportSeverity;
  /** Affected packages, sorted, at most a few. */
  packages: string[];
  packageClasses: PackageClass[];
  /** The lowest fixed version any report names, null when no report knows a fix. */
  fixedVersion: string | null;
  fixable: boolean;
  knownExploited: boolean;
  /** Workloads and containers running it, and those of them where it is neither VEX-declared nor excepted. */
  workloads: number;
  containers: number;
  openWorkloads: number;
  openContainers: number;
  /** Why it is excepted where it is (the first VEX statement or exception met); null when open everywhere. */
  exceptedBy: ExceptedBy | null;
  link: string | null;
}

export interface FleetVulnerabilities {
  rows: FleetVulnerabilityRow[];
  /** Distinct vulnerabilities matching the filters (rows holds at most VULNERABILITIES_LIMIT of them). */
  total: number;
  /** Of those, the ones open in at least one container. */
  open: number;
  /**
   * Current reports held, and how many of them match no running container. Within a scope (a filter or the
   * caller's access): the reports of images running there, and null, as an image nothing runs is in no scope.
   */
  reports: number;
  reportsNotRunning: number | null;
}

/** A row `v`'s severity as a number, CRITICAL highest (5) to UNKNOWN (1), and back. */
export const RANK = Prisma.sql`CASE v."severity" WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3 WHEN 'LOW' THEN 2 ELSE 1 END`;
export const severityOf = (rank: number): ReportSeverity => REPORT_SEVERITIES[REPORT_SEVERITIES.length - rank] ?? "UNKNOWN";

interface FleetRowSql {
  vulnerabilityId: string;
  rank: number;
  knownExploited: boolean;
  workloads: bigint;
  containers: bigint;
  openWorkloads: bigint;
  openContainers: bigint;
  exceptedBy: ExceptedBy | null;
  total: bigint;
  open: bigint;
}

type DetailSql = Pick<FleetVulnerabilityRow, "vulnerabilityId" | "packages" | "packageClasses" | "fixedVersion" | "fixable" | "link">;

/**
 * The running containers within scope and the current reports each matches by digest, one row per pair (CTE
 * `rc`), then the containers and the workloads grouped by the set of reports they match (`cm`, `wm`: a class per
 * set, each of its reports with the class's size). Counting a vulnerability's containers is then summing the
 * classes one of its reports is in: one row per (vulnerability, report) instead of one per (vulnerability,
 * container), exact as classes do not overlap.
 */
function runningClassesSql(scope: ScopedFilter): Prisma.Sql {
  return Prisma.sql`
    rc AS (
      SELECT DISTINCT d."reportId", c."id" AS "containerId", w."id" AS "workloadId"
      FROM "Container" c
      JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
      CROSS JOIN LATERAL unnest(c."digests") x("digest")
      JOIN "ReportDigest" d ON d."digest" = x."digest"
      JOIN "ScanReport" r ON r."id" = d."reportId" AND r."supersededAt" IS NULL AND r."scansVulnerabilities"
      WHERE c."goneAt" IS NULL ${scopeSql(scope)}),
    cm AS (
      SELECT k."class", u."reportId", k."n" FROM (
        SELECT row_number() OVER () AS "class", "reports", "n" FROM (
          SELECT "reports", COUNT(*) AS "n" FROM (
            SELECT ARRAY_AGG("reportId" ORDER BY "reportId") AS "reports" FROM rc GROUP BY "containerId") s
          GROUP BY "reports") g) k
      CROSS JOIN LATERAL unnest(k."reports") u("reportId")),
    wm AS (
      SELECT k."class", u."reportId", k."n" FROM (
        SELECT row_number() OVER () AS "class", "reports", "n" FROM (
          SELECT "reports", COUNT(*) AS "n" FROM (
            SELECT ARRAY_AGG(DISTINCT "reportId" ORDER BY "reportId") AS "reports" FROM rc GROUP BY "workloadId") s
          GROUP BY "reports") g) k
      CROSS JOIN LATERAL unnest(k."reports") u("reportId"))`;
}

/**
 * Vulnerability ids some VEX statement or active exception could except somewhere: only their rows are judged
 * container by container (exceptedJoins); every other id is open wherever it runs.
 */
function exceptableIdsSql(now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT s."vulnerabilityId" FROM "VexStatement" s WHERE s."status" IN ('not_affected', 'fixed')
    UNION
    SELECT e."vulnerabilityId" FROM "VulnerabilityException" e WHERE e."revokedAt" IS NULL AND e."expiresAt" > ${now}`;
}

async function countReports(db: Db, scope: ScopedFilter): Promise<Pick<FleetVulnerabilities, "reports" | "reportsNotRunning">> {
  if (isFleetWide(scope)) {
    const rows = await db.$queryRaw<{ reports: bigint; notRunning: bigint }[]>(Prisma.sql`
      SELECT COUNT(*) AS "reports",
        COUNT(*) FILTER (WHERE NOT EXISTS (
          SELECT 1 FROM "ReportDigest" d JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
          WHERE d."reportId" = r."id")) AS "notRunning"
      FROM "ScanReport" r WHERE r."supersededAt" IS NULL AND r."scansVulnerabilities"`);
    return { reports: Number(rows[0]?.reports ?? 0), reportsNotRunning: Number(rows[0]?.notRunning ?? 0) };
  }
  const rows = await db.$queryRaw<{ reports: bigint }[]>(Prisma.sql`
    SELECT COUNT(*) AS "reports" FROM "ScanReport" r
    WHERE r."supersededAt" IS NULL AND r."scansVulnerabilities" AND EXISTS (
      SELECT 1 FROM "ReportDigest" d JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
        JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
      WHERE d."reportId" = r."id" ${scopeSql(scope)})`);
  return { reports: Number(rows[0]?.reports ?? 0), reportsNotRunning: null };
}

/**
 * The fleet's vulnerabilities in running containers within the query's scope (lib/data/scope.ts), one row per
 * vulnerability id. Open ones first (known-exploited first, then by affected workloads, then severity), then those
 * excepted everywhere they run.
 */
export async function listFleetVulnerabilities(
  db: Db,
  query: VulnerabilityQuery & ScopedFilter,
  limit = VULNERABILITIES_LIMIT,
  now: Date = new Date(),
): Promise<FleetVulnerabilities> {
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.severity) where.push(Prisma.sql`v."severity" = ${query.severity}`);
  if (query.fixable !== undefined) where.push(Prisma.sql`v."fixable" = ${query.fixable}`);
  if (query.packageClass) where.push(Prisma.sql`v."packageClass" = ${query.packageClass}`);
  const filters = Prisma.join(where, " AND ");
  const status =
    query.status === "open"
      ? Prisma.sql`WHERE "openWorkloads" > 0`
      : query.status === "excepted"
        ? Prisma.sql`WHERE "openWorkloads" = 0`
        : Prisma.empty;
  const [rows, counts] = await Promise.all([
    db.$queryRaw<FleetRowSql[]>(Prisma.sql`
      WITH ${runningClassesSql(query)},
      vr AS (
        SELECT v."vulnerabilityId", v."reportId", MAX(${RANK}) AS rank, BOOL_OR(v."knownExploited") AS "knownExploited"
        FROM "ReportVulnerability" v
        WHERE v."reportId" IN (SELECT "reportId" FROM rc) AND ${filters}
        GROUP BY v."vulnerabilityId", v."reportId"),
      reach AS (
        SELECT vr."vulnerabilityId", MAX(vr.rank)::int AS rank, BOOL_OR(vr."knownExploited") AS "knownExploited",
          cc."containers", wc."workloads"
        FROM vr
        JOIN (SELECT x."vulnerabilityId", SUM(x."n") AS "containers" FROM (
          SELECT DISTINCT vr."vulnerabilityId", cm."class", cm."n" FROM vr JOIN cm ON cm."reportId" = vr."reportId") x
          GROUP BY x."vulnerabilityId") cc ON cc."vulnerabilityId" = vr."vulnerabilityId"
        JOIN (SELECT x."vulnerabilityId", SUM(x."n") AS "workloads" FROM (
          SELECT DISTINCT vr."vulnerabilityId", wm."class", wm."n" FROM vr JOIN wm ON wm."reportId" = vr."reportId") x
          GROUP BY x."vulnerabilityId") wc ON wc."vulnerabilityId" = vr."vulnerabilityId"
        GROUP BY vr."vulnerabilityId", cc."containers", wc."workloads"),
      judged AS (
        SELECT v."vulnerabilityId",
          COUNT(DISTINCT w."id") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openWorkloads",
          COUNT(DISTINCT c."id") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openContainers",
          (ARRAY_AGG(${EXCEPTED_BY}) FILTER (WHERE ${IS_EXCEPTED}))[1] AS "exceptedBy"
        FROM "ReportVulnerability" v
        JOIN rc ON rc."reportId" = v."reportId"
        JOIN "Container" c ON c."id" = rc."containerId"
        JOIN "Workload" w ON w."id" = rc."workloadId"
        ${exceptedJoins(now)}
        WHERE v."vulnerabilityId" IN (${exceptableIdsSql(now)}) AND ${filters}
        GROUP BY v."vulnerabilityId"),
      rows AS (
        SELECT reach.*, COALESCE(j."openWorkloads", reach."workloads") AS "openWorkloads",
          COALESCE(j."openContainers", reach."containers") AS "openContainers", j."exceptedBy"
        FROM reach LEFT JOIN judged j ON j."vulnerabilityId" = reach."vulnerabilityId")
      SELECT *, COUNT(*) OVER () AS "total", SUM(CASE WHEN "openWorkloads" > 0 THEN 1 ELSE 0 END) OVER () AS "open"
      FROM rows ${status}
      ORDER BY "openWorkloads" > 0 DESC, "knownExploited" DESC, "openWorkloads" DESC, "workloads" DESC, rank DESC,
        "vulnerabilityId"
      LIMIT ${limit}`),
    countReports(db, query),
  ]);
  const details = await detailsOf(db, query, filters, rows.map((r) => r.vulnerabilityId));
  return {
    rows: rows.map(({ rank, total: _total, open: _open, workloads, containers, openWorkloads, openContainers, ...row }) => ({
      ...row,
      ...details.get(row.vulnerabilityId)!,
      exceptedBy: toExceptedBy(row.exceptedBy),
      severity: severityOf(rank),
      workloads: Number(workloads),
      containers: Number(containers),
      openWorkloads: Number(openWorkloads),
      openContainers: Number(openContainers),
    })),
    total: Number(rows[0]?.total ?? 0),
    open: Number(rows[0]?.open ?? 0),
    ...counts,
  };
}

/** What a row shows of the vulnerability's records in the reports running within scope: only for the listed ids. */
async function detailsOf(db: Db, scope: ScopedFilter, filters: Prisma.Sql, ids: string[]): Promise<Map<string, DetailSql>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<DetailSql[]>(Prisma.sql`
    WITH ${runningClassesSql(scope)}
    SELECT v."vulnerabilityId", (ARRAY_AGG(DISTINCT v."package" ORDER BY v."package"))[1:5] AS "packages",
      ARRAY_AGG(DISTINCT v."packageClass" ORDER BY v."packageClass") AS "packageClasses",
      MIN(v."fixedVersion") AS "fixedVersion", BOOL_OR(v."fixable") AS "fixable", MIN(v."link") AS "link"
    FROM "ReportVulnerability" v
    WHERE v."vulnerabilityId" = ANY(${ids}::text[]) AND v."reportId" IN (SELECT "reportId" FROM rc) AND ${filters}
    GROUP BY v."vulnerabilityId"`);
  return new Map(rows.map((row) => [row.vulnerabilityId, row]));
}

export interface WorkloadReportRow {
  container: string;
  reportId: string;
  scanner: string;
  scannedAt: Date;
  digest: string;
  /** Which of the container's digests the report names (config, repository, manifest…). */
  kind: string;
}

export interface WorkloadVulnerabilityRow {
  container: string;
  vulnerabilityId: string;
  package: string;
  version: string;
  packageClass: PackageClass;
  fixedVersion: string | null;
  severity: ReportSeverity;
  /** Why it does not count against checks 9 and 10 here; null when open. */
  exceptedBy: ExceptedBy | null;
}

/**
 * The current vulnerability reports matching a workload's running containers by digest, and their fixable
 * HIGH/CRITICAL vulnerabilities (what checks 9 and 10 judge; open before excepted, CRITICAL first), at most
 * `limit` of them.
 */
export async function listWorkloadVulnerabilities(
  db: Db,
  workloadId: string,
  limit = 200,
  now: Date = new Date(),
): Promise<{ reports: WorkloadReportRow[]; vulnerabilities: WorkloadVulnerabilityRow[] }> {
  const matched = Prisma.sql`
    FROM "Container" c
    JOIN "Workload" w ON w."id" = c."workloadId"
    JOIN "ReportDigest" d ON d."digest" = ANY(c."digests")
    JOIN "ScanReport" r ON r."id" = d."reportId" AND r."supersededAt" IS NULL AND r."scansVulnerabilities"`;
  const current = Prisma.sql`c."workloadId" = ${workloadId}::uuid AND c."goneAt" IS NULL`;
  const [reports, vulnerabilities] = await Promise.all([
    db.$queryRaw<WorkloadReportRow[]>(Prisma.sql`
      SELECT DISTINCT ON (c."name", r."id") c."name" AS "container", r."id" AS "reportId", r."scanner",
        r."scannedAt", d."digest", d."kind"
      ${matched}
      WHERE ${current}
      ORDER BY c."name", r."id", d."kind"`),
    db.$queryRaw<(WorkloadVulnerabilityRow & { rank: number })[]>(Prisma.sql`
      SELECT DISTINCT ON (${IS_EXCEPTED}, ${RANK}, v."vulnerabilityId", c."name", v."package", v."version")
        c."name" AS "container", v."vulnerabilityId", v."package", v."version", v."packageClass", v."fixedVersion",
        v."severity", ${RANK} AS rank, ${EXCEPTED_BY} AS "exceptedBy"
      ${matched}
      JOIN "ReportVulnerability" v ON v."reportId" = r."id" AND v."fixable" AND v."severity" IN ('HIGH', 'CRITICAL')
      ${exceptedJoins(now)}
      WHERE ${current}
      ORDER BY ${IS_EXCEPTED}, ${RANK} DESC, v."vulnerabilityId", c."name", v."package", v."version"
      LIMIT ${limit}`),
  ]);
  return { reports, vulnerabilities: vulnerabilities.map(({ rank: _rank, ...row }) => ({ ...row, exceptedBy: toExceptedBy(row.exceptedBy) })),
  };
}
