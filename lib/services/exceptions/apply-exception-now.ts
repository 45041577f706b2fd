import type { Db, Exception, Prisma } from "@/lib/db";
import { exceptionApplies, type ExceptionScope } from "@/lib/evaluate/exceptions";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { containerScore } from "@/lib/scoring";
import type { StoredResult } from "@/lib/domain/stored-result";
import { createException, type ExceptionInput } from "./create-exception";

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

/** The container's stored results with this check excepted (or not), and the score they give (CHECKS.md "Scores"). */
function withException(results: StoredResult[], checkId: string, exceptionId: string | null) {
  const next = results.map((r) => (r.id === checkId ? { ...r, excepted: exceptionId !== null, exceptionId } : r));
  const score = containerScore(
    next.map((r) => ({
      status: r.status,
      severity: toSeverity(r.severity),
      excepted: r.excepted ? { source: "exception" as const, reason: "" } : undefined,
    })),
  );
  return { results: next, score };
}

type CandidateFinding = Prisma.FindingGetPayload<{ include: { container: { include: { workload: true } } } }>;

/**
 * Turns findings excepted (exceptionId set) or open again (null) now, with their events, and rewrites their
 * containers' results and scores to what the evaluator will produce: the exception is part of each covered
 * container's facts hash, so the next run re-judges them, and until then every page reads the same state.
 */
async function setExcepted(db: Db, findings: CandidateFinding[], exceptionId: string | null, now: Date) {
  if (findings.length === 0) return;
  const containers = new Map(findings.map((f) => [f.container.id, { container: f.container, checkId: f.checkId }]));
  await db.$transaction([
    db.finding.updateMany({
      where: { id: { in: findings.map((f) => f.id) } },
      data: exceptionId ? { status: "excepted", exceptionId } : { status: "open", exceptionId: null },
    }),
    db.findingEvent.createMany({
      data: findings.map((f) => ({ findingId: f.id, kind: exceptionId ? "excepted" : "unexcepted", at: now })),
    }),
    ...[...containers.values()].map(({ container, checkId }) => {
      const next = withException(container.results as unknown as StoredResult[], checkId, exceptionId);
      return db.container.update({
        where: { id: container.id },
        data: { results: next.results as unknown as Prisma.InputJsonValue, score: next.score },
      });
    }),
  ]);
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
