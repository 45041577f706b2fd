import { Prisma, type Db } from "@/lib/db";
import { SEVERITIES, isSeverityAtLeast, type Severity } from "@/lib/domain/severity";
import {
  MAX_LISTED_FINDINGS,
  type NotificationPayload,
  type NotifiedException,
  type NotifiedFinding,
} from "@/lib/notifications/payload";

interface RuleRow {
  id: string;
  channelId: string;
  event: string;
  minSeverity: string;
  targetId: string | null;
  namespace: string | null;
  team: string | null;
  checkId: string | null;
  withinDays: number;
}

interface Queued {
  channelId: string;
  ruleId: string;
  event: string;
  dedupeKey: string;
  payload: NotificationPayload;
}

/** A second enqueue of the same run and rule (or day and rule) is dropped by the unique dedupeKey. */
async function enqueue(db: Db, rows: Queued[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const { count } = await db.notificationDelivery.createMany({
    data: rows.map((row) => ({ ...row, payload: row.payload as unknown as Prisma.InputJsonValue, nextAttemptAt: now })),
    skipDuplicates: true,
  });
  return count;
}

/**
 * New in a run: created open with the run's time as firstSeenAt, or reopened or unexcepted by the run. Only
 * findings still open are listed; the first MAX_LISTED_FINDINGS by severity, with the total.
 */
async function listNewFindings(
  db: Db,
  input: { runId: string; targetId: string; at: Date },
  rule: RuleRow,
): Promise<{ total: number; findings: NotifiedFinding[] }> {
  const floor = rule.minSeverity as Severity;
  const severities = SEVERITIES.filter((s) => isSeverityAtLeast(s, floor));
  const at = input.at.toISOString();
  const rows = await db.$queryRaw<(NotifiedFinding & { total: bigint })[]>(Prisma.sql`
    SELECT f."id", f."checkId", f."severity", f."message", w."namespace", w."kind", w."name" AS "workload",
      c."name" AS "container", count(*) OVER () AS "total"
    FROM "Finding" f
    JOIN "Container" c ON c."id" = f."containerId"
    JOIN "Workload" w ON w."id" = c."workloadId"
    WHERE w."targetId" = ${input.targetId}::uuid AND f."status" = 'open'
      AND f."severity" = ANY(${severities}::text[])
      AND (f."firstSeenAt" = ${at}::timestamp(3) OR EXISTS (
        SELECT 1 FROM "FindingEvent" e
        WHERE e."findingId" = f."id" AND e."runId" = ${input.runId}::uuid AND e."kind" IN ('reopened', 'unexcepted')))
      ${rule.namespace !== null ? Prisma.sql`AND w."namespace" = ${rule.namespace}` : Prisma.empty}
      ${rule.checkId !== null ? Prisma.sql`AND f."checkId" = ${rule.checkId}` : Prisma.empty}
      ${
        rule.team !== null
          ? Prisma.sql`AND (w."labels"->>'team' = ${rule.team} OR w."namespaceLabels"->>'team' = ${rule.team})`
          : Prisma.empty
      }
    ORDER BY array_position(${[...SEVERITIES]}::text[], f."severity"), f."checkId", w."namespace", w."name", c."name"
    LIMIT ${MAX_LISTED_FINDINGS}::int`);
  return {
    total: Number(rows[0]?.total ?? 0),
    findings: rows.map(({ total: _total, ...finding }) => finding),
  };
}

/** True when the run before this one (polls only, not live updates) did not fail: the target starts failing. */
async function startsFailing(db: Db, input: { runId: string; targetId: string }): Promise<boolean> {
  const previous = await db.collectionRun.findFirst({
    where: { targetId: input.targetId, id: { not: input.runId }, status: { in: ["succeeded", "partial", "failed"] } },
    orderBy: { startedAt: "desc" },
    select: { status: true },
  });
  return previous?.status !== "failed";
}

export interface RunOutcome {
  runId: string;
  targetId: string;
  status: "succeeded" | "partial" | "failed" | "live";
  /** The recorder's time: firstSeenAt of the findings the run created. */
  at: Date;
  findingsOpened: number;
  error?: string;
}

/**
 * After a run is stored: one queued message per matching rule (never per finding). Sending is the workers'
 * job (deliverDueNotifications), so a slow or failing receiver never holds up or fails a run.
 */
export async function enqueueRunNotifications(db: Db, run: RunOutcome, now = new Date()): Promise<number> {
  // A run that neither failed nor opened a finding matches no rule (see `wanted`): most polls read no rules.
  if (run.status !== "failed" && run.findingsOpened === 0) return 0;
  const rules = await db.notificationRule.findMany({
    where: {
      event: { in: ["new-findings", "target-failing"] },
      OR: [{ targetId: null }, { targetId: run.targetId }],
    },
  });
  const wanted = rules.filter((rule) =>
    rule.event === "target-failing" ? run.status === "failed" : run.status !== "failed" && run.findingsOpened > 0,
  );
  if (wanted.length === 0) return 0;
  const target = await db.target.findUnique({ where: { id: run.targetId }, select: { id: true, name: true } });
  if (!target) return 0;
  const timestamp = now.toISOString();
  const queued: Queued[] = [];
  for (const rule of wanted) {
    const base = {
      channelId: rule.channelId,
      ruleId: rule.id,
      event: rule.event,
      dedupeKey: `run:${run.runId}:${rule.id}`,
    };
    if (rule.event === "target-failing") {
      if (!(await startsFailing(db, run))) continue;
      const error = (run.error ?? "the poll failed").slice(0, 500);
      queued.push({
        ...base,
        payload: { type: "target.failing", timestamp, data: { target, runId: run.runId, error } },
      });
      continue;
    }
    const { total, findings } = await listNewFindings(db, run, rule);
    if (total === 0) continue;
    const minSeverity = rule.minSeverity as Severity;
    queued.push({
      ...base,
      payload: { type: "findings.new", timestamp, data: { target, runId: run.runId, minSeverity, total, findings } },
    });
  }
  return enqueue(db, queued, now);
}

function exceptionScope(e: { namespace: string | null; workload: string | null; container: string | null }): string {
  return [e.namespace, e.workload, e.container].filter(Boolean).join("/") || "everywhere";
}

/** One digest per rule and day of the exceptions that expire within the rule's days (checked by the workers). */
export async function enqueueExpiringExceptions(db: Db, now = new Date()): Promise<number> {
  const rules = await db.notificationRule.findMany({ where: { event: "exception-expiring" } });
  const queued: Queued[] = [];
  const day = now.toISOString().slice(0, 10);
  for (const rule of rules) {
    const rows = await db.exception.findMany({
      where: {
        revokedAt: null,
        expiresAt: { gt: now, lte: new Date(now.getTime() + rule.withinDays * 86_400_000) },
        ...(rule.targetId ? { targetId: rule.targetId } : {}),
        ...(rule.namespace !== null ? { namespace: rule.namespace } : {}),
        ...(rule.checkId !== null ? { checkId: rule.checkId } : {}),
      },
      orderBy: { expiresAt: "asc" },
      take: MAX_LISTED_FINDINGS,
    });
    if (rows.length === 0) continue;
    const exceptions: NotifiedException[] = rows.map((e) => ({
      id: e.id,
      checkId: e.checkId,
      scope: exceptionScope(e),
      owner: e.owner,
      expiresAt: e.expiresAt.toISOString(),
    }));
    queued.push({
      channelId: rule.channelId,
      ruleId: rule.id,
      event: rule.event,
      dedupeKey: `expiring:${rule.id}:${day}`,
      payload: {
        type: "exceptions.expiring",
        timestamp: now.toISOString(),
        data: { withinDays: rule.withinDays, exceptions },
      },
    });
  }
  return enqueue(db, queued, now);
}

/** Queues the run's messages; a notification problem is logged and never fails the stored run. */
export async function notifyAfterRun(db: Db, outcome: RunOutcome): Promise<void> {
  try {
    await enqueueRunNotifications(db, outcome);
  } catch (error) {
    console.error(`rampart: notifications for run ${outcome.runId} not queued: ${(error as Error).name}`);
  }
}
