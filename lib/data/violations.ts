import "server-only";
import { getDb } from "@/lib/db";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";

export const VIOLATIONS_PAGE_SIZE = 50;

export interface ViolationFilter {
  severity?: Severity;
  checkId?: string;
  /** 1-based. */
  page: number;
}

export interface ViolationRow {
  id: string;
  checkId: string;
  severity: Severity;
  targetName: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  containerName: string;
  image: string;
  message: string;
  fieldPath: string;
  firstSeenAt: string;
  isExcepted: boolean;
}

export interface ViolationPage {
  rows: ViolationRow[];
  total: number;
  page: number;
  pageCount: number;
  /** Open findings per severity under the current check filter, for the filter links. */
  bySeverity: Record<Severity, number>;
  /** Checks that have open findings, for the check filter. */
  checkIds: string[];
}

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

/** Most severe first, newest first within a severity; one indexed query per severity keeps the order exact. */
export async function listViolations(filter: ViolationFilter): Promise<ViolationPage> {
  const db = getDb();
  const base = { status: "open", ...(filter.checkId ? { checkId: filter.checkId } : {}) };
  const [severityCounts, checkGroups] = await Promise.all([
    db.finding.groupBy({ by: ["severity"], where: base, _count: { _all: true } }),
    db.finding.groupBy({ by: ["checkId"], where: { status: "open" }, orderBy: { checkId: "asc" } }),
  ]);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of severityCounts) bySeverity[toSeverity(row.severity)] += row._count._all;

  const severities = filter.severity ? [filter.severity] : [...SEVERITIES];
  const total = severities.reduce((sum, severity) => sum + bySeverity[severity], 0);
  const pageCount = Math.max(1, Math.ceil(total / VIOLATIONS_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pageCount);

  let skip = (page - 1) * VIOLATIONS_PAGE_SIZE;
  let take = VIOLATIONS_PAGE_SIZE;
  const rows: ViolationRow[] = [];
  for (const severity of severities) {
    const count = bySeverity[severity];
    if (take === 0) break;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    rows.push(...(await listSlice({ ...base, severity }, skip, take)));
    take -= Math.min(take, count - skip);
    skip = 0;
  }
  return { rows, total, page, pageCount, bySeverity, checkIds: checkGroups.map((row) => row.checkId) };
}

async function listSlice(where: { status: string; severity: string; checkId?: string }, skip: number, take: number) {
  const findings = await getDb().finding.findMany({
    where,
    orderBy: [{ firstSeenAt: "desc" }, { id: "asc" }],
    skip,
    take,
    include: { container: { include: { workload: { include: { target: { select: { name: true } } } } } } },
  });
  return findings.map(
    (finding): ViolationRow => ({
      id: finding.id,
      checkId: finding.checkId,
      severity: toSeverity(finding.severity),
      targetName: finding.container.workload.target.name,
      namespace: finding.container.workload.namespace,
      workloadKind: finding.container.workload.kind,
      workloadName: finding.container.workload.name,
      containerName: finding.container.name,
      image: finding.container.image,
      message: finding.message,
      fieldPath: finding.fieldPath,
      firstSeenAt: finding.firstSeenAt.toISOString(),
      isExcepted: finding.exceptionId !== null,
    }),
  );
}
