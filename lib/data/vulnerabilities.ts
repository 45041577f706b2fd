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

const RANK = Prisma.sql`CASE v."severity" WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3 WHEN 'LOW' THEN 2 ELSE 1 END`;
const severityOf = (rank: number): ReportSeverity => REPORT_SEVERITIES[REPORT_SEVERITIES.length - rank] ?? "UNKNOWN";

/** Rows of current vulnerability reports joined to the current containers whose digest sets name them. */
const RUNNING = Prisma.sql`
  FROM "ReportVulnerability" v
  JOIN "ScanReport" r ON r."id" = v."reportId" AND r."supersededAt" IS NULL
  JOIN "ReportDigest" d ON d."reportId" = v."reportId"
  JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
  JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL`;

interface FleetRowSql
  extends Omit<FleetVulnerabilityRow, "severity" | "workloads" | "containers" | "openWorkloads" | "openContainers"> {
  rank: number;
  workloads: bigint;
  containers: bigint;
  openWorkloads: bigint;
  openContainers: bigint;
  total: bigint;
  open: bigint;
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
  const openWorkloads = Prisma.sql`COUNT(DISTINCT w."id") FILTER (WHERE NOT ${IS_EXCEPTED})`;
  const having =
    query.status === "open"
      ? Prisma.sql`HAVING ${openWorkloads} > 0`
      : query.status === "excepted"
        ? Prisma.sql`HAVING ${openWorkloads} = 0`
        : Prisma.empty;
  const [rows, counts] = await Promise.all([
    db.$queryRaw<FleetRowSql[]>(Prisma.sql`
      SELECT v."vulnerabilityId", MAX(${RANK})::int AS rank,
        (ARRAY_AGG(DISTINCT v."package" ORDER BY v."package"))[1:5] AS "packages",
        ARRAY_AGG(DISTINCT v."packageClass" ORDER BY v."packageClass") AS "packageClasses",
        MIN(v."fixedVersion") AS "fixedVersion", BOOL_OR(v."fixable") AS "fixable",
        BOOL_OR(v."knownExploited") AS "knownExploited", MIN(v."link") AS "link",
        COUNT(DISTINCT w."id") AS "workloads", COUNT(DISTINCT c."id") AS "containers",
        ${openWorkloads} AS "openWorkloads",
        COUNT(DISTINCT c."id") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openContainers",
        (ARRAY_AGG(${EXCEPTED_BY}) FILTER (WHERE ${IS_EXCEPTED}))[1] AS "exceptedBy",
        COUNT(*) OVER () AS "total",
        SUM(CASE WHEN ${openWorkloads} > 0 THEN 1 ELSE 0 END) OVER () AS "open"
      ${RUNNING}
      ${exceptedJoins(now)}
      WHERE ${Prisma.join(where, " AND ")} ${scopeSql(query)}
      GROUP BY v."vulnerabilityId"
      ${having}
      ORDER BY ${openWorkloads} > 0 DESC, BOOL_OR(v."knownExploited") DESC, ${openWorkloads} DESC,
        COUNT(DISTINCT w."id") DESC, rank DESC, v."vulnerabilityId"
      LIMIT ${limit}`),
    countReports(db, query),
  ]);
  return {
    rows: rows.map(({ rank, total: _total, open: _open, workloads, containers, openWorkloads, openContainers, ...row }) => ({
      ...row,
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
