import { Prisma, type Db } from "@/lib/db";
import { REPORT_SEVERITIES, type PackageClass, type ReportSeverity } from "@/lib/reports/model";
import type { VulnerabilityQuery } from "@/lib/scope/vulnerability-query";
import { isWholeFleet } from "@/lib/scope/access-scope";
import { isFleetWide, rollupColumns, scopeSql, type ScopedFilter } from "./scope";
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
 * The kinds of vulnerability row (the migration 20261206191000_vulnerability_reach's vulnerability_kind: severity
 * rank r in byte r - 1; within it fixable 4, application package 2, known exploited 1) a query's filters keep.
 */
export function kindsOf(query: Pick<VulnerabilityQuery, "severity" | "fixable" | "packageClass">): bigint {
  let kinds = 0n;
  for (let rank = 1; rank <= REPORT_SEVERITIES.length; rank++)
    for (let bits = 0; bits < 8; bits++) {
      if (query.severity && severityOf(rank) !== query.severity) continue;
      if (query.fixable !== undefined && Boolean(bits & 4) !== query.fixable) continue;
      if (query.packageClass && (bits & 2 ? "application" : "os") !== query.packageClass) continue;
      kinds |= 1n << BigInt((rank - 1) * 8 + bits);
    }
  return kinds;
}

/** The known-exploited kinds, and the rank of the highest severity in a mask `m` of kinds. */
const KNOWN_EXPLOITED = Prisma.raw(`${0xaaaaaaaaaan}::bigint`);
const MASK_RANK = Prisma.raw(`CASE WHEN m >= ${2n ** 32n} THEN 5 WHEN m >= ${2n ** 24n} THEN 4 WHEN m >= ${2n ** 16n} THEN 3
  WHEN m >= ${2n ** 8n} THEN 2 ELSE 1 END`);

/** The current reports running containers match within scope (ContainerReport rows aliased `x`). */
const runningSql = (scope: ScopedFilter) => Prisma.sql`
  SELECT x."reportId" FROM "ContainerReport" x WHERE TRUE ${scopeSql(scope, rollupColumns("x"))}`;

/**
 * Per vulnerability id within scope, running containers and workloads with rows of the kinds `kinds`, and the OR `m`
 * of those kinds they run. The whole fleet's and a target's are kept at write time (VulnerabilityReach, levels 2 and
 * 1); any other scope (a namespace, a team, a limited access) is summed from its scope keys' groups (ReachGroup:
 * containers and workloads matching the same reports) and their reports' vulnerabilities with their kinds
 * (report_set_kinds), exact as a container or workload is in exactly one group.
 */
function reachSql(scope: ScopedFilter, kinds: bigint): Prisma.Sql {
  const k = Prisma.raw(`${kinds}::bigint`);
  if (isWholeFleet(scope.access) && scope.namespace === undefined && !scope.team) {
    const level = scope.target ? Prisma.sql`x."level" = 1 ${scopeSql(scope, rollupColumns("x"))}` : Prisma.sql`x."level" = 2`;
    return Prisma.sql`
      SELECT x."vulnerabilityId", bit_or(x."mask" & ${k}) AS m, SUM(x."containers") AS "containers",
        SUM(x."workloads") AS "workloads"
      FROM "VulnerabilityReach" x
      WHERE ${level} AND x."mask" & ${k} <> 0
      GROUP BY x."vulnerabilityId"`;
  }
  return Prisma.sql`
    SELECT s."vulnerabilityId", bit_or(s."mask" & ${k}) AS m, SUM(x."containers") AS "containers",
      SUM(x."workloads") AS "workloads"
    FROM "ReachGroup" x CROSS JOIN LATERAL "report_set_kinds"(x."reports") s
    WHERE s."mask" & ${k} <> 0 ${scopeSql(scope, rollupColumns("x"))}
    GROUP BY s."vulnerabilityId"`;
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
        COUNT(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "ContainerReport" x WHERE x."reportId" = r."id")) AS "notRunning"
      FROM "ScanReport" r WHERE r."supersededAt" IS NULL AND r."scansVulnerabilities"`);
    return { reports: Number(rows[0]?.reports ?? 0), reportsNotRunning: Number(rows[0]?.notRunning ?? 0) };
  }
  const rows = await db.$queryRaw<{ reports: bigint }[]>(Prisma.sql`
    SELECT COUNT(DISTINCT "reportId") AS "reports" FROM (${runningSql(scope)}) s`);
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
  const kinds = kindsOf(query);
  const status =
    query.status === "open"
      ? Prisma.sql`WHERE "openWorkloads" > 0`
      : query.status === "excepted"
        ? Prisma.sql`WHERE "openWorkloads" = 0`
        : Prisma.empty;
  const [rows, counts] = await Promise.all([
    db.$queryRaw<FleetRowSql[]>(Prisma.sql`
      WITH reach AS (
        SELECT "vulnerabilityId", ${MASK_RANK} AS rank, m & ${KNOWN_EXPLOITED} <> 0 AS "knownExploited",
          "containers", "workloads"
        FROM (${reachSql(query, kinds)}) s),
      judged AS (
        SELECT v."vulnerabilityId",
          COUNT(DISTINCT w."id") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openWorkloads",
          COUNT(DISTINCT c."id") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openContainers",
          (ARRAY_AGG(${EXCEPTED_BY}) FILTER (WHERE ${IS_EXCEPTED}))[1] AS "exceptedBy"
        FROM "ReportVulnerability" v
        JOIN "ContainerReport" x ON x."reportId" = v."reportId"
        JOIN "Container" c ON c."id" = x."containerId"
        JOIN "Workload" w ON w."id" = x."workloadId"
        ${exceptedJoins(now)}
        WHERE v."vulnerabilityId" IN (${exceptableIdsSql(now)}) AND ${filters} ${scopeSql(query, rollupColumns("x"))}
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
    SELECT v."vulnerabilityId", (ARRAY_AGG(DISTINCT v."package" ORDER BY v."package"))[1:5] AS "packages",
      ARRAY_AGG(DISTINCT v."packageClass" ORDER BY v."packageClass") AS "packageClasses",
      MIN(v."fixedVersion") AS "fixedVersion", BOOL_OR(v."fixable") AS "fixable", MIN(v."link") AS "link"
    FROM "ReportVulnerability" v
    WHERE v."vulnerabilityId" = ANY(${ids}::text[]) AND v."reportId" IN (${runningSql(scope)}) AND ${filters}
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
