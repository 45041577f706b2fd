import type { Db } from "@/lib/db";
import type { ExceptionRule } from "@/lib/evaluate/exceptions";

/** Unrevoked, unexpired exceptions in the shape the evaluator matches against. */
export async function listActiveExceptionRules(db: Db, now: Date = new Date()): Promise<ExceptionRule[]> {
  const rows = await db.exception.findMany({
    where: { revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    checkId: r.checkId,
    targetId: r.targetId,
    namespace: r.namespace,
    workload: r.workload,
    container: r.container,
    image: r.image,
    reason: r.reason,
    owner: r.owner,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
  }));
}
