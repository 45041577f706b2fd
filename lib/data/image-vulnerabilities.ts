import { Prisma, type Db } from "@/lib/db";
import type { PackageClass, ReportSeverity } from "@/lib/reports/model";
import type { Access } from "@/lib/scope/access-scope";
import { runningContainersSql } from "./image";
import { RANK, severityOf } from "./vulnerabilities";
import { EXCEPTED_BY, exceptedJoins, IS_EXCEPTED, toExceptedBy, type ExceptedBy } from "./vulnerability-excepted";

export const IMAGE_VULNERABILITIES_LIMIT = 1000;

export interface ImageVulnerabilityRow {
  package: string;
  version: string;
  packageType: string;
  packageClass: PackageClass;
  vulnerabilityId: string;
  severity: ReportSeverity;
  fixedVersion: string | null;
  fixable: boolean;
  knownExploited: boolean;
  title: string | null;
  link: string | null;
  /** Workloads (within access) running the image, and those where this vulnerability is neither VEX-declared nor excepted. */
  workloads: number;
  openWorkloads: number;
  /** Why it is excepted (the first VEX statement or exception met); null when open everywhere. */
  exceptedBy: ExceptedBy | null;
  /** Open wherever the image runs (or, when nothing runs it, not covered by VEX or an image-wide exception). */
  isOpen: boolean;
}

export interface ImageVulnerabilities {
  rows: ImageVulnerabilityRow[];
  /** Distinct package × vulnerability rows (rows holds at most the limit). */
  total: number;
}

interface RowSql extends Omit<ImageVulnerabilityRow, "severity" | "workloads" | "openWorkloads" | "isOpen"> {
  rank: number;
  workloads: bigint;
  openWorkloads: bigint;
  excepted: boolean;
  total: bigint;
}

/**
 * The vulnerabilities of the image's current reports (read by report id, the primary key's prefix), one row per
 * package, version and vulnerability across reports, each judged on the workloads within access running the image
 * by the same rules as /vulnerabilities. When nothing runs it, one stand-in container with the image's digests and no
 * workload judges it: VEX statements and exceptions not limited to a namespace or workload apply.
 * Ordered by package (known-exploited, then most severe first), then within a package the same way.
 */
export async function listImageVulnerabilities(
  db: Db,
  input: { access: Access; digests: string[]; reportIds: string[] },
  options: { limit?: number; now?: Date } = {},
): Promise<ImageVulnerabilities> {
  if (input.reportIds.length === 0) return { rows: [], total: 0 };
  const now = options.now ?? new Date();
  const rows = await db.$queryRaw<RowSql[]>(Prisma.sql`
    WITH running AS (
      SELECT w."id" AS "key", c."digests", c."image", w."namespace", w."name", w."kind"
      ${runningContainersSql(input.access)} AND c."digests" && ${input.digests}::text[]),
    runs AS (
      SELECT * FROM running
      UNION ALL
      SELECT NULL::uuid, ${input.digests}::text[], '', NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM running)),
    judged AS (
      SELECT v."package", v."version", v."packageClass", v."vulnerabilityId",
        MIN(v."packageType") AS "packageType", MAX(${RANK})::int AS rank, MIN(v."fixedVersion") AS "fixedVersion",
        BOOL_OR(v."fixable") AS "fixable", BOOL_OR(v."knownExploited") AS "knownExploited",
        MIN(v."title") AS "title", MIN(v."link") AS "link",
        COUNT(DISTINCT c."key") AS "workloads",
        COUNT(DISTINCT c."key") FILTER (WHERE NOT ${IS_EXCEPTED}) AS "openWorkloads",
        BOOL_AND(${IS_EXCEPTED}) AS "excepted",
        (ARRAY_AGG(${EXCEPTED_BY}) FILTER (WHERE ${IS_EXCEPTED}))[1] AS "exceptedBy"
      FROM "ReportVulnerability" v
      CROSS JOIN runs c
      CROSS JOIN LATERAL (SELECT c."namespace", c."name", c."kind") w
      ${exceptedJoins(now)}
      WHERE v."reportId" = ANY(${input.reportIds}::uuid[])
      GROUP BY v."package", v."version", v."packageClass", v."vulnerabilityId")
    SELECT *, COUNT(*) OVER () AS "total" FROM judged
    WINDOW pkg AS (PARTITION BY "package", "version")
    ORDER BY BOOL_OR("knownExploited") OVER pkg DESC, MAX(rank) OVER pkg DESC, "package", "version",
      "knownExploited" DESC, rank DESC, "excepted", "vulnerabilityId"
    LIMIT ${options.limit ?? IMAGE_VULNERABILITIES_LIMIT}`);
  return {
    rows: rows.map(({ rank, total: _total, workloads, openWorkloads, excepted, exceptedBy, ...row }) => ({
      ...row,
      severity: severityOf(rank),
      workloads: Number(workloads),
      openWorkloads: Number(openWorkloads),
      exceptedBy: toExceptedBy(exceptedBy),
      isOpen: !excepted,
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}
