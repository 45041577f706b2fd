import "server-only";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { getDb, Prisma } from "@/lib/db";
import { FRAMEWORK_IDS, FRAMEWORKS } from "@/lib/frameworks";
import { endOfDay, listFrameworkCompliance, type FrameworkCompliance } from "./frameworks";
import type { ExceptionRow } from "./exceptions";
import { getFindingActivity, type FindingActivity } from "./overview";
import { exceptionScopeSql, rollupColumns, scopeSql, type ScopedFilter } from "./scope";

/** How far back the previous report is when none is chosen. */
export const PREVIOUS_REPORT_DAYS = 30;
/** Open critical/high findings listed one by one (the counts cover all of them). */
export const AUDIT_FINDINGS_LISTED = 200;
const DAY_MS = 86_400_000;

export interface AuditFinding {
  id: string;
  checkId: string;
  checkTitle: string;
  severity: "critical" | "high";
  targetName: string;
  namespace: string;
  workloadId: string;
  workload: string;
  container: string;
  firstSeenAt: string;
  /** Whole days from first seen to the report's instant. */
  ageDays: number;
}

/** An exception in force, as the exceptions list shows it. */
export type AuditException = Pick<
  ExceptionRow,
  | "id"
  | "checkId"
  | "checkTitle"
  | "targetName"
  | "namespace"
  | "workload"
  | "container"
  | "image"
  | "reason"
  | "owner"
  | "createdBy"
  | "createdAt"
  | "expiresAt"
>;

export interface FrameworkChange {
  frameworkId: string;
  controlId: string;
  title: string;
  before: number | null;
  after: number | null;
}

export interface AuditReport {
  scope: ScopedFilter;
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** The report's instant: now for today, else the end of `date`. */
  at: string;
  isToday: boolean;
  previous: string;
  /** Pod Security is null on a past date (verdicts are kept for the current state only). */
  frameworks: (FrameworkCompliance | null)[];
  openCount: { critical: number; high: number };
  findings: AuditFinding[];
  exceptions: AuditException[];
  changes: {
    activity: FindingActivity;
    exceptionsAdded: number;
    exceptionsEnded: number;
    controls: FrameworkChange[];
  };
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function daysBefore(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS));
}

/** Open at `at`: today the stored status; on a past day the last event at or before it (none = open since first seen). */
function openAt(at: Date, isToday: boolean): Prisma.Sql {
  if (isToday) return Prisma.sql`f."status" = 'open'`;
  return Prisma.sql`f."firstSeenAt" <= ${at} AND coalesce((
    SELECT e."kind" FROM "FindingEvent" e WHERE e."findingId" = f."id" AND e."at" <= ${at}
    ORDER BY e."at" DESC LIMIT 1), 'opened') IN ('opened', 'reopened', 'unexcepted')`;
}

async function listOpenFindings(scope: ScopedFilter, at: Date, isToday: boolean) {
  const where = Prisma.sql`WHERE f."severity" IN ('critical', 'high') AND ${openAt(at, isToday)} ${scopeSql(scope)}`;
  const from = Prisma.sql`FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId"
    JOIN "Workload" w ON w."id" = c."workloadId" JOIN "Target" t ON t."id" = w."targetId"`;
  // Today's counts are the overview's, from ScopeSummary (kept with the rows); a past day's are rebuilt from history.
  const [counts, rows] = await Promise.all([
    isToday
      ? getDb()
          .$queryRaw<{ critical: bigint; high: bigint }[]>`
            SELECT coalesce(sum(s."openCritical"), 0)::bigint AS critical, coalesce(sum(s."openHigh"), 0)::bigint AS high
            FROM "ScopeSummary" s WHERE TRUE ${scopeSql(scope, rollupColumns("s"))}`
          .then(([row]) => [
            { severity: "critical", n: row?.critical ?? 0n },
            { severity: "high", n: row?.high ?? 0n },
          ])
      : getDb().$queryRaw<{ severity: string; n: bigint }[]>`SELECT f."severity", count(*)::bigint AS n ${from} ${where} GROUP BY 1`,
    getDb().$queryRaw<(Omit<AuditFinding, "checkTitle" | "ageDays" | "firstSeenAt"> & { firstSeenAt: Date })[]>`
      SELECT f."id", f."checkId", f."severity", t."name" AS "targetName", w."namespace", w."id" AS "workloadId",
        w."kind" || '/' || w."name" AS workload, c."name" AS container, f."firstSeenAt"
      ${from} ${where}
      ORDER BY f."firstSeenAt" ASC, f."id" LIMIT ${AUDIT_FINDINGS_LISTED}`,
  ]);
  const count = (severity: string) => Number(counts.find((row) => row.severity === severity)?.n ?? 0);
  return {
    openCount: { critical: count("critical"), high: count("high") },
    findings: rows.map((row) => ({
      ...row,
      checkTitle: CHECK_CATALOG.find((check) => check.id === row.checkId)?.title ?? row.checkId,
      firstSeenAt: row.firstSeenAt.toISOString(),
      ageDays: Math.floor((at.getTime() - row.firstSeenAt.getTime()) / DAY_MS),
    })),
  };
}

async function listExceptionsInForce(scope: ScopedFilter, at: Date): Promise<AuditException[]> {
  const rows = await getDb().$queryRaw<(Omit<AuditException, "checkTitle" | "createdAt" | "expiresAt"> & { createdAt: Date; expiresAt: Date })[]>`
    SELECT x."id", x."checkId", t."name" AS "targetName", x."namespace", x."workload", x."container", x."image",
      x."reason", x."owner", x."createdBy", x."createdAt", x."expiresAt"
    FROM "Exception" x LEFT JOIN "Target" t ON t."id" = x."targetId"
    WHERE x."createdAt" <= ${at} AND x."expiresAt" > ${at} AND (x."revokedAt" IS NULL OR x."revokedAt" > ${at})
      ${exceptionScopeSql(scope)}
    ORDER BY x."expiresAt" ASC, x."id"`;
  return rows.map((row) => ({
    ...row,
    checkTitle: CHECK_CATALOG.find((check) => check.id === row.checkId)?.title ?? row.checkId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  }));
}

async function countExceptionChanges(scope: ScopedFilter, from: Date, to: Date) {
  const rows = await getDb().$queryRaw<{ added: bigint; ended: bigint }[]>`
    SELECT count(*) FILTER (WHERE x."createdAt" > ${from} AND x."createdAt" <= ${to})::bigint AS added,
      count(*) FILTER (WHERE least(x."expiresAt", coalesce(x."revokedAt", x."expiresAt")) > ${from}
        AND least(x."expiresAt", coalesce(x."revokedAt", x."expiresAt")) <= ${to})::bigint AS ended
    FROM "Exception" x WHERE TRUE ${exceptionScopeSql(scope)}`;
  return { exceptionsAdded: Number(rows[0]?.added ?? 0), exceptionsEnded: Number(rows[0]?.ended ?? 0) };
}

function controlChanges(before: (FrameworkCompliance | null)[], after: (FrameworkCompliance | null)[]): FrameworkChange[] {
  const changes: FrameworkChange[] = [];
  for (const now of after) {
    const then = before.find((b) => b?.framework.id === now?.framework.id);
    if (!now || !then) continue;
    for (const control of now.controls) {
      if (control.notJudged !== null) continue;
      const old = then.controls.find((c) => c.section === control.section && c.id === control.id)?.compliance ?? null;
      const changed = old === null || control.compliance === null ? old !== control.compliance : Math.abs(old - control.compliance) >= 0.05;
      if (changed)
        changes.push({ frameworkId: now.framework.id, controlId: control.id, title: control.title, before: old, after: control.compliance });
    }
  }
  return changes;
}

/**
 * The auditor report of a scope on a day: today's is read from the current state (the same read models as the
 * dashboard), a past day's from the history (rollups, finding events, exception dates) at that day's end. The
 * previous report is the same scope `previous` (default 30 days before).
 */
export async function getAuditReport(input: {
  scope: ScopedFilter;
  date: string;
  previous?: string;
  now?: Date;
}): Promise<AuditReport> {
  const now = input.now ?? new Date();
  const isToday = input.date === dayOf(now);
  const at = isToday ? now : endOfDay(input.date);
  const previous = input.previous ?? daysBefore(input.date, PREVIOUS_REPORT_DAYS);
  const from = endOfDay(previous);
  const frameworks = FRAMEWORK_IDS.map((id) => FRAMEWORKS[id]);
  const [current, before, open, exceptions, activity, exceptionChanges] = await Promise.all([
    listFrameworkCompliance(frameworks, input.scope, isToday ? undefined : input.date),
    listFrameworkCompliance(frameworks, input.scope, previous),
    listOpenFindings(input.scope, at, isToday),
    listExceptionsInForce(input.scope, at),
    getFindingActivity(input.scope, at, from),
    countExceptionChanges(input.scope, from, at),
  ]);
  return {
    scope: input.scope,
    date: input.date,
    at: at.toISOString(),
    isToday,
    previous,
    frameworks: current,
    ...open,
    exceptions,
    changes: { activity, ...exceptionChanges, controls: controlChanges(before, current) },
  };
}
