import type { Db, Exception, Prisma } from "@/lib/db";
import { exceptionApplies, type ExceptionScope } from "@/lib/evaluate/exceptions";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { containerScore } from "@/lib/scoring";
import type { StoredResult } from "@/lib/services/runs/container-rows";
import { createException, type ExceptionInput } from "./create-exception";

function toSeverity(value: string): Severity {
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : "low";
}

/** The container's stored results with this check excepted, and the score they give (CHECKS.md "Scores"). */
function exceptResults(results: StoredResult[], checkId: string, exceptionId: string) {
  const next = results.map((r) => (r.id === checkId ? { ...r, excepted: true, exceptionId } : r));
  const score = containerScore(
    next.map((r) => ({
      status: r.status,
      severity: toSeverity(r.severity),
      excepted: r.excepted ? { source: "exception" as const, reason: "" } : undefined,
    })),
  );
  return { results: next, score };
}

/**
 * Marks the open findings this exception covers as excepted now, and rescores their containers, so the user
 * sees the accepted risk before the next run (which reaches the same state through the evaluator).
 */
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
  if (covered.length === 0) return 0;
  const containers = new Map(covered.map((f) => [f.container.id, f.container]));
  await db.$transaction([
    db.finding.updateMany({
      where: { id: { in: covered.map((f) => f.id) } },
      data: { status: "excepted", exceptionId: exception.id },
    }),
    db.findingEvent.createMany({ data: covered.map((f) => ({ findingId: f.id, kind: "excepted", at: now })) }),
    ...[...containers.values()].map((c) => {
      const next = exceptResults(c.results as unknown as StoredResult[], exception.checkId, exception.id);
      // A hash no evaluation produces: the next run rewrites this container and replans its findings,
      // which matters when the exception is revoked before then.
      return db.container.update({
        where: { id: c.id },
        data: {
          results: next.results as unknown as Prisma.InputJsonValue,
          score: next.score,
          factsHash: `excepted:${exception.id}`,
        },
      });
    }),
  ]);
  return covered.length;
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
