import { z } from "zod";
import { Prisma, type Db } from "@/lib/db";
import { REPORT_SEVERITIES, type ReportSeverity } from "@/lib/reports/model";
import { plainText } from "@/lib/validation/plain-text";

export const VULNERABILITIES_LIMIT = 100;

export interface VulnerabilityQuery {
  /** Target name, exact. */
  target?: string;
  severity?: ReportSeverity;
  fixable?: boolean;
}

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const FIELDS = {
  target: plainText()
    .trim()
    .max(200)
    .transform((v) => v || undefined),
  severity: z.enum(REPORT_SEVERITIES),
  fixable: z.enum(["yes", "no"]).transform((v) => v === "yes"),
};

const querySchema = z.object(
  Object.fromEntries(
    Object.entries(FIELDS).map(([name, schema]) => [
      name,
      z.preprocess(first, (schema as z.ZodType).optional().catch(undefined)),
    ]),
  ),
);

/** Unknown or malformed values are dropped, like the violations page: a stale link still shows a page. */
export function parseVulnerabilityQuery(params: Record<string, string | string[] | undefined>): VulnerabilityQuery {
  const parsed = querySchema.parse(params) as VulnerabilityQuery;
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) as VulnerabilityQuery;
}

export function vulnerabilitiesHref(query: VulnerabilityQuery): string {
  const params = new URLSearchParams();
  if (query.target) params.set("target", query.target);
  if (query.severity) params.set("severity", query.severity);
  if (query.fixable !== undefined) params.set("fixable", query.fixable ? "yes" : "no");
  const text = params.toString();
  return text ? `/vulnerabilities?${text}` : "/vulnerabilities";
}

export interface FleetVulnerabilityRow {
  vulnerabilityId: string;
  severity: ReportSeverity;
  /** Affected packages, sorted, at most a few. */
  packages: string[];
  /** The lowest fixed version any report names, null when no report knows a fix. */
  fixedVersion: string | null;
  fixable: boolean;
  knownExploited: boolean;
  workloads: number;
  containers: number;
  link: string | null;
}

export interface FleetVulnerabilities {
  rows: FleetVulnerabilityRow[];
  /** Distinct vulnerabilities matching the filters (rows holds at most VULNERABILITIES_LIMIT of them). */
  total: number;
  /** Current reports held, and how many of them match no running container. */
  reports: number;
  reportsNotRunning: number;
}

const RANK = Prisma.sql`CASE v."severity" WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3 WHEN 'LOW' THEN 2 ELSE 1 END`;

/**
 * The fleet's vulnerabilities in running containers: rows of current reports joined to current containers by
 * digest (as listContainersRunningVulnerability does for one id), one row per vulnerability id. Known-exploited
 * first, then by affected workloads, then by severity.
 */
export async function listFleetVulnerabilities(
  db: Db,
  query: VulnerabilityQuery,
  limit = VULNERABILITIES_LIMIT,
): Promise<FleetVulnerabilities> {
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.target) where.push(Prisma.sql`t."name" = ${query.target}`);
  if (query.severity) where.push(Prisma.sql`v."severity" = ${query.severity}`);
  if (query.fixable !== undefined) where.push(Prisma.sql`v."fixable" = ${query.fixable}`);
  const [rows, counts] = await Promise.all([
    db.$queryRaw<(Omit<FleetVulnerabilityRow, "severity" | "workloads" | "containers"> & {
      rank: number;
      workloads: bigint;
      containers: bigint;
      total: bigint;
    })[]>(Prisma.sql`
      SELECT v."vulnerabilityId", MAX(${RANK})::int AS rank,
        (ARRAY_AGG(DISTINCT v."package" ORDER BY v."package"))[1:5] AS "packages",
        MIN(v."fixedVersion") AS "fixedVersion", BOOL_OR(v."fixable") AS "fixable",
        BOOL_OR(v."knownExploited") AS "knownExploited", MIN(v."link") AS "link",
        COUNT(DISTINCT w."id") AS "workloads", COUNT(DISTINCT c."id") AS "containers",
        COUNT(*) OVER () AS "total"
      FROM "ReportVulnerability" v
      JOIN "ScanReport" r ON r."id" = v."reportId" AND r."supersededAt" IS NULL
      JOIN "ReportDigest" d ON d."reportId" = v."reportId"
      JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
      JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
      JOIN "Target" t ON t."id" = w."targetId"
      WHERE ${Prisma.join(where, " AND ")}
      GROUP BY v."vulnerabilityId"
      ORDER BY BOOL_OR(v."knownExploited") DESC, COUNT(DISTINCT w."id") DESC, rank DESC, v."vulnerabilityId"
      LIMIT ${limit}`),
    db.$queryRaw<{ reports: bigint; notRunning: bigint }[]>(Prisma.sql`
      SELECT COUNT(*) AS "reports",
        COUNT(*) FILTER (WHERE NOT EXISTS (
          SELECT 1 FROM "ReportDigest" d JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
          WHERE d."reportId" = r."id")) AS "notRunning"
      FROM "ScanReport" r WHERE r."supersededAt" IS NULL AND r."scansVulnerabilities"`),
  ]);
  return {
    rows: rows.map(({ rank, total: _total, workloads, containers, ...row }) => ({
      ...row,
      severity: REPORT_SEVERITIES[REPORT_SEVERITIES.length - rank] ?? "UNKNOWN",
      workloads: Number(workloads),
      containers: Number(containers),
    })),
    total: Number(rows[0]?.total ?? 0),
    reports: Number(counts[0]?.reports ?? 0),
    reportsNotRunning: Number(counts[0]?.notRunning ?? 0),
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
  fixedVersion: string | null;
  severity: ReportSeverity;
}

/**
 * The current vulnerability reports matching a workload's running containers by digest, and their fixable
 * HIGH/CRITICAL vulnerabilities (CRITICAL first), at most `limit` of them.
 */
export async function listWorkloadVulnerabilities(
  db: Db,
  workloadId: string,
  limit = 200,
): Promise<{ reports: WorkloadReportRow[]; vulnerabilities: WorkloadVulnerabilityRow[] }> {
  const matched = Prisma.sql`
    FROM "Container" c
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
    db.$queryRaw<WorkloadVulnerabilityRow[]>(Prisma.sql`
      SELECT DISTINCT c."name" AS "container", v."vulnerabilityId", v."package", v."version", v."fixedVersion",
        v."severity", ${RANK} AS rank
      ${matched}
      JOIN "ReportVulnerability" v ON v."reportId" = r."id" AND v."fixable" AND v."severity" IN ('HIGH', 'CRITICAL')
      WHERE ${current}
      ORDER BY rank DESC, v."vulnerabilityId", c."name", v."package", v."version"
      LIMIT ${limit}`),
  ]);
  return { reports, vulnerabilities: vulnerabilities.map(({ rank: _rank, ...row }: WorkloadVulnerabilityRow & { rank?: number }) => row) };
}
