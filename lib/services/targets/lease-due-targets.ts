import { Prisma, type Db } from "@/lib/db";
import { toSummary, type TargetSummary } from "./target-input";

export interface LeaseInput {
  workerId: string;
  limit: number;
  /** Lease length; give one of the two. */
  leaseSeconds?: number;
  leaseMs?: number;
  now?: Date;
  /** Targets this worker polls right now: never leased twice, even though it holds their lease. */
  exclude?: string[];
}

/** Credentials stay encrypted here: one undecryptable target must not stop every lease; the run decrypts them. */
export type LeasedTarget = TargetSummary;

/**
 * Claims due targets (enabled, nextRunAt ≤ now, no live lease but the worker's own, kept while it follows their
 * events) in one statement; SKIP LOCKED lets concurrent workers claim disjoint rows without waiting for each other.
 */
export function leaseLengthMs(input: { leaseSeconds?: number; leaseMs?: number }): number {
  const ms = input.leaseMs ?? (input.leaseSeconds ?? 0) * 1000;
  if (!(ms > 0)) throw new Error("A lease needs a positive leaseSeconds or leaseMs");
  return Math.round(ms);
}

export async function leaseDueTargets(db: Db, input: LeaseInput): Promise<LeasedTarget[]> {
  const now = (input.now ?? new Date()).toISOString();
  const leaseMs = leaseLengthMs(input);
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    UPDATE "Target" SET "leaseOwner" = ${input.workerId},
      "leaseExpiresAt" = ${now}::timestamp(3) + ${leaseMs}::int * interval '1 millisecond'
    WHERE "id" IN (
      SELECT "id" FROM "Target"
      WHERE "enabled" AND "nextRunAt" <= ${now}::timestamp(3)
        AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" <= ${now}::timestamp(3) OR "leaseOwner" = ${input.workerId})
        AND NOT ("id" = ANY(${input.exclude ?? []}::uuid[]))
      ORDER BY "nextRunAt"
      LIMIT ${input.limit}::int
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`);
  if (rows.length === 0) return [];
  const targets = await db.target.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
    orderBy: { nextRunAt: "asc" },
  });
  return targets.map(toSummary);
}
