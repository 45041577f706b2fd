import type { Db, Exception, Prisma } from "@/lib/db";
import { exceptionApplies, type ExceptionScope } from "@/lib/evaluate/exceptions";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { containerScore } from "@/lib/scoring";
import { getCheckMeta } from "@/lib/checks/catalog";
import { containerResults } from "@/lib/domain/stored-result";
import { createException, type ExceptionInput } from "./create-exception";

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

type CandidateFinding = Prisma.FindingGetPayload<{ include: { container: { include: { workload: true } } } }>;

/** The container's score (CHECKS.md "Scores") from its results' one home, findings as they are now. */
async function rescore(db: Db, containerIds: string[]): Promise<{ id: string; score: number | null }[]> {
  const containers = await db.container.findMany({
    where: { id: { in: containerIds } },
    select: { id: true, resultSet: { select: { passed: true, notJudged: true } }, findings: true },
  });
  const severityOf = (id: string) => getCheckMeta(id)?.severity ?? "low";
  return containers.map((c) => {
    const results = containerResults(c.resultSet, c.findings, severityOf);
    const score = containerScore(
      results.map((r) => ({
        status: r.status,
        severity: toSeverity(r.severity),
        excepted: r.excepted ? { source: "exception" as const, reason: "" } : undefined,
      })),
    );
    return { id: c.id, score };
  });
}

/**
 * Turns findings excepted (exceptionId set) or open again (null) now, with their events, and rescores their
 * containers: the exception is part of each covered container's facts hash, so the next run re-judges them and
 * reaches the same state; until then every page reads these rows.
 */
async function setExcepted(db: Db, findings: CandidateFinding[], exceptionId: string | null, now: Date) {
  if (findings.length === 0) return;
  await db.$transaction([
    db.finding.updateMany({
      where: { id: { in: findings.map((f) => f.id) } },
      data: exceptionId ? { status: "excepted", exceptionId } : { status: "open", exceptionId: null },
    }),
    db.findingEvent.createMany({
      data: findings.map((f) => ({ findingId: f.id, kind: exceptionId ? "excepted" : "unexcepted", at: now })),
    }),
  ]);
  const scores = await rescore(db, [...new Set(findings.map((f) => f.containerId))]);
  await db.$transaction(scores.map(({ id, score }) => db.container.update({ where: { id }, data: { score } })));
}

/** Marks the open findings this exception covers as excepted now, so the user sees the accepted risk at once. */
export async function applyExceptionNow(db: Db, exception: Exception, now: Date = new Date()): Promise<number> {
  const candidates = await db.finding.findMany({
    where: { status: "open", checkId: exception.checkId, container: { goneAt: null } },
    include: { container: { include: { workload: true } } },
  });
  const covered = candidates.filter((f) => {
    const w = f.container.workload;
    const scope: ExceptionScope = {
      checkId: f.checkId,
      targetId: w.targetId,
      namespace: w.namespace,
      workloadKind: w.kind,
      workload: w.name,
      container: f.container.name,
      image: f.container.image,
    };
    return exceptionApplies(exception, scope, now);
  });
  await setExcepted(db, covered, exception.id, now);
  return covered.length;
}

/** The findings a revoked exception held turn open again now (the next run agrees: its hash no longer has it). */
export async function unapplyException(db: Db, exceptionId: string, now: Date = new Date()): Promise<number> {
  const held = await db.finding.findMany({
    where: { status: "excepted", exceptionId, container: { goneAt: null } },
    include: { container: { include: { workload: true } } },
  });
  await setExcepted(db, held, null, now);
  return held.length;
}

export interface AcceptRiskInput {
  findingIds: string[];
  reason: string;
  owner: string;
  expiresAt: Date;
  createdBy: string;
}

/** One exception per finding, scoped to its check, target, namespace, workload and container; applied at once. */
export async function acceptFindingsRisk(db: Db, input: AcceptRiskInput, now: Date = new Date()): Promise<Exception[]> {
  const findings = await db.finding.findMany({
    where: { id: { in: input.findingIds } },
    include: { container: { include: { workload: true } } },
  });
  const created: Exception[] = [];
  for (const finding of findings) {
    const w = finding.container.workload;
    const scope: ExceptionInput = {
      checkId: finding.checkId,
      targetId: w.targetId,
      namespace: w.namespace || null,
      workload: `${w.kind}/${w.name}`,
      container: finding.container.name,
      reason: input.reason,
      owner: input.owner,
      expiresAt: input.expiresAt,
      createdBy: input.createdBy,
    };
    const exception = await createException(db, scope, now);
    await applyExceptionNow(db, exception, now);
    created.push(exception);
  }
  return created;
}
