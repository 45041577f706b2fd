import "server-only";
import { csvField } from "@/lib/format/csv";
import { getDb, Prisma } from "@/lib/db";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { isWholeFleet, type Access } from "@/lib/scope/access-scope";
import { accessSql, isFleetWide, rollupColumns, scopeSql } from "./scope";
import {
  DEFAULT_SORT,
  defaultDirection,
  FINDING_STATUSES,
  VIOLATIONS_PAGE_SIZE,
  type FindingStatus,
  type ViolationFilter,
  type ViolationSort,
} from "@/lib/scope/violation-query";

/** A violations query and the caller's access. */
export type ScopedViolationFilter = ViolationFilter & { access: Access };

export interface ViolationRow {
  id: string;
  checkId: string;
  severity: Severity;
  status: FindingStatus;
  targetId: string;
  targetName: string;
  namespace: string;
  workloadId: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  image: string;
  message: string;
  fieldPath: string;
  firstSeenAt: string;
  lastSeenAt: string;
  isExcepted: boolean;
}

export interface ViolationGroup {
  key: string;
  label: string;
  total: number;
  bySeverity: Record<Severity, number>;
}

export interface ViolationPage {
  rows: ViolationRow[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** Findings per severity under every filter but severity, for the filter links. */
  bySeverity: Record<Severity, number>;
  /** Checks that have open findings, for the check filter. */
  checkIds: string[];
  /** Totals of the groups that appear on this page, in page order, when grouped. */
  groups: ViolationGroup[];
}

const FROM = Prisma.sql`FROM "Finding" f
  JOIN "Container" c ON c."id" = f."containerId"
  JOIN "Workload" w ON w."id" = c."workloadId"
  JOIN "Target" t ON t."id" = w."targetId"`;

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

function toStatus(value: string): FindingStatus {
  return (FINDING_STATUSES as readonly string[]).includes(value) ? (value as FindingStatus) : "open";
}

function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function labelCondition(label: string): Prisma.Sql {
  const at = label.indexOf("=");
  if (at === -1) {
    return Prisma.sql`(w."labels" ? ${label} OR w."namespaceLabels" ? ${label})`;
  }
  const key = label.slice(0, at).trim();
  const value = label.slice(at + 1).trim();
  // Containment (@>) is what the GIN indexes on both label columns serve; ->> would walk every row.
  const pair = JSON.stringify({ [key]: value });
  return Prisma.sql`(w."labels" @> ${pair}::jsonb OR w."namespaceLabels" @> ${pair}::jsonb)`;
}

/** Every filter but severity (`withSeverity` adds it), as one WHERE clause over FROM. */
function whereOf(filter: ScopedViolationFilter, withSeverity: boolean): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`f."status" = ${filter.status ?? "open"}`];
  if (withSeverity && filter.severity) parts.push(Prisma.sql`f."severity" = ${filter.severity}`);
  if (filter.checkId) parts.push(Prisma.sql`f."checkId" = ${filter.checkId}`);
  if (filter.platform) parts.push(Prisma.sql`t."platform" = ${filter.platform}`);
  if (filter.since) parts.push(Prisma.sql`f."firstSeenAt" >= ${filter.since}::timestamp(3)`);
  if (filter.workload) parts.push(Prisma.sql`w."name" ILIKE ${containsPattern(filter.workload)}`);
  if (filter.image) parts.push(Prisma.sql`c."image" ILIKE ${containsPattern(filter.image)}`);
  if (filter.label) parts.push(labelCondition(filter.label));
  return Prisma.sql`WHERE ${Prisma.join(parts, " AND ")} ${scopeSql(filter)}`;
}

const RANK_SQL = `CASE f."severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;
const SEVERITY_RANK = Prisma.raw(RANK_SQL);

/** Column expressions only, never user input. */
const SORT_COLUMNS: Record<ViolationSort, string[]> = {
  severity: [RANK_SQL],
  check: [`f."checkId"`],
  target: [`t."name"`],
  workload: [`w."namespace"`, `w."name"`],
  "first-seen": [`f."firstSeenAt"`],
  "last-seen": [`f."lastSeenAt"`],
};

/** Severity ascends by rank (most severe first), so "desc" on it means least severe first. */
function orderOf(filter: ViolationFilter): Prisma.Sql {
  const sort = filter.sort ?? DEFAULT_SORT;
  const dir = filter.dir ?? defaultDirection(sort);
  const primary = Prisma.raw(SORT_COLUMNS[sort].map((column) => `${column} ${dir === "desc" ? "DESC" : "ASC"}`).join(", "));
  const group =
    filter.group === "workload"
      ? Prisma.sql`t."name", w."namespace", w."name", w."id", `
      : filter.group === "check"
        ? Prisma.sql`f."checkId", `
        : Prisma.empty;
  return Prisma.sql`ORDER BY ${group}${primary}, ${SEVERITY_RANK}, f."firstSeenAt" DESC, f."id"`;
}

interface RawRow {
  id: string;
  checkId: string;
  severity: string;
  status: string;
  targetId: string;
  targetName: string;
  namespace: string;
  workloadId: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  image: string;
  message: string;
  fieldPath: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

function toRow(raw: RawRow): ViolationRow {
  const status = toStatus(raw.status);
  return {
    ...raw,
    severity: toSeverity(raw.severity),
    status,
    firstSeenAt: raw.firstSeenAt.toISOString(),
    lastSeenAt: raw.lastSeenAt.toISOString(),
    isExcepted: status === "excepted",
  };
}

/** One page of rows in the table's order; the CSV export reads the same query page by page. */
export async function selectViolationRows(filter: ScopedViolationFilter, offset: number, limit: number) {
  const raw = await getDb().$queryRaw<RawRow[]>(Prisma.sql`
    SELECT f."id", f."checkId", f."severity", f."status", t."id" AS "targetId", t."name" AS "targetName",
      w."namespace", w."id" AS "workloadId", w."kind" AS "workloadKind", w."name" AS "workloadName",
      c."name" AS "containerName", c."image", f."message", f."fieldPath", f."firstSeenAt", f."lastSeenAt"
    ${FROM} ${whereOf(filter, true)} ${orderOf(filter)}
    LIMIT ${limit} OFFSET ${offset}`);
  return raw.map(toRow);
}

function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** No condition on the target's platform, the workload's name or labels, or the image: only on findings and the scope. */
function onFindingsAndScope(filter: ScopedViolationFilter): boolean {
  return !filter.platform && !filter.workload && !filter.image && !filter.label;
}

/**
 * Per severity: open findings of the scope from ScopeSummary (kept with the rows) when nothing narrows them further;
 * findings alone (no joins) on the whole fleet when only finding columns do; else the joined rows.
 */
async function countBySeverity(filter: ScopedViolationFilter): Promise<Record<Severity, number>> {
  const status = filter.status ?? "open";
  if (status === "open" && !filter.checkId && !filter.since && onFindingsAndScope(filter)) {
    const [row] = await getDb().$queryRaw<Record<Severity, bigint>[]>`
      SELECT coalesce(sum(s."openCritical"), 0)::bigint AS critical, coalesce(sum(s."openHigh"), 0)::bigint AS high,
        coalesce(sum(s."openMedium"), 0)::bigint AS medium, coalesce(sum(s."openLow"), 0)::bigint AS low
      FROM "ScopeSummary" s WHERE TRUE ${scopeSql(filter, rollupColumns("s"))}`;
    const counts = emptyCounts();
    for (const severity of SEVERITIES) counts[severity] = Number(row?.[severity] ?? 0);
    return counts;
  }
  const from = onFindingsAndScope(filter) && isFleetWide(filter) ? Prisma.sql`FROM "Finding" f` : FROM;
  const rows = await getDb().$queryRaw<{ severity: string; n: bigint }[]>(Prisma.sql`
    SELECT f."severity", count(*) AS n ${from} ${whereOf(filter, false)} GROUP BY f."severity"`);
  const counts = emptyCounts();
  for (const row of rows) counts[toSeverity(row.severity)] += Number(row.n);
  return counts;
}

async function groupTotals(filter: ScopedViolationFilter, rows: ViolationRow[]): Promise<ViolationGroup[]> {
  if (!filter.group || rows.length === 0) return [];
  const byWorkload = filter.group === "workload";
  const keys = [...new Set(rows.map((row) => (byWorkload ? row.workloadId : row.checkId)))];
  const keyColumn = byWorkload ? Prisma.sql`w."id"::text` : Prisma.sql`f."checkId"`;
  const counted = await getDb().$queryRaw<{ key: string; severity: string; n: bigint }[]>(Prisma.sql`
    SELECT ${keyColumn} AS key, f."severity", count(*) AS n ${FROM} ${whereOf(filter, true)}
      AND ${keyColumn} IN (${Prisma.join(keys)})
    GROUP BY 1, 2`);
  return keys.map((key) => {
    const bySeverity = emptyCounts();
    for (const row of counted) if (row.key === key) bySeverity[toSeverity(row.severity)] += Number(row.n);
    const sample = rows.find((row) => (byWorkload ? row.workloadId : row.checkId) === key);
    const label =
      byWorkload && sample
        ? `${sample.targetName} · ${sample.namespace ? `${sample.namespace}/` : ""}${sample.workloadKind} ${sample.workloadName}`
        : key;
    const total = SEVERITIES.reduce((sum, s) => sum + bySeverity[s], 0);
    return { key, label, total, bySeverity };
  });
}

/**
 * Checks with open findings the caller may see. On the whole fleet, a skip scan of the open findings' check index
 * (one probe per check) instead of reading every open finding.
 */
function listOpenCheckIds(access: Access): Promise<{ checkId: string }[]> {
  if (!isWholeFleet(access))
    return getDb().$queryRaw<{ checkId: string }[]>(Prisma.sql`
      SELECT DISTINCT f."checkId" ${FROM} WHERE f."status" = 'open' ${accessSql(access)} ORDER BY 1`);
  return getDb().$queryRaw<{ checkId: string }[]>`
    WITH RECURSIVE c AS (
      SELECT min("checkId") AS id FROM "Finding" WHERE "status" = 'open'
      UNION ALL
      SELECT (SELECT min(f."checkId") FROM "Finding" f WHERE f."status" = 'open' AND f."checkId" > c.id) FROM c WHERE c.id IS NOT NULL
    )
    SELECT id AS "checkId" FROM c WHERE id IS NOT NULL ORDER BY 1`;
}

/** Server-side filtered, sorted and paged findings; a page past the end shows the last page. */
export async function listViolations(filter: ScopedViolationFilter): Promise<ViolationPage> {
  const pageSize = filter.pageSize ?? VIOLATIONS_PAGE_SIZE;
  const [bySeverity, checkGroups] = await Promise.all([countBySeverity(filter), listOpenCheckIds(filter.access)]);
  const severities: readonly Severity[] = filter.severity ? [filter.severity] : SEVERITIES;
  const total = severities.reduce((sum: number, severity) => sum + bySeverity[severity], 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filter.page), pageCount);
  const rows = total === 0 ? [] : await selectViolationRows(filter, (page - 1) * pageSize, pageSize);
  const groups = await groupTotals(filter, rows);
  return { rows, total, page, pageCount, pageSize, bySeverity, checkIds: checkGroups.map((g) => g.checkId), groups };
}

const CSV_COLUMNS: [string, (row: ViolationRow) => string][] = [
  ["finding_id", (r) => r.id],
  ["severity", (r) => r.severity],
  ["status", (r) => r.status],
  ["check", (r) => r.checkId],
  ["target", (r) => r.targetName],
  ["namespace", (r) => r.namespace],
  ["workload_kind", (r) => r.workloadKind],
  ["workload", (r) => r.workloadName],
  ["container", (r) => r.containerName],
  ["image", (r) => r.image],
  ["message", (r) => r.message],
  ["field_path", (r) => r.fieldPath],
  ["first_seen", (r) => r.firstSeenAt],
  ["last_seen", (r) => r.lastSeenAt],
];


const CSV_BATCH = 2000;

/** Every finding of the filter (all pages) in the table's order, a header line first, in batches. */
export async function* violationsCsv(filter: Omit<ScopedViolationFilter, "page">): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.map(([name]) => name).join(",")}\r\n`;
  for (let offset = 0; ; offset += CSV_BATCH) {
    const rows = await selectViolationRows({ ...filter, page: 1 }, offset, CSV_BATCH);
    if (rows.length > 0) {
      yield rows.map((row) => `${CSV_COLUMNS.map(([, read]) => csvField(read(row))).join(",")}\r\n`).join("");
    }
    if (rows.length < CSV_BATCH) return;
  }
}
