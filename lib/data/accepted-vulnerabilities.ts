import type { Db } from "@/lib/db";

export interface AcceptedVulnerabilityRow {
  id: string;
  vulnerabilityId: string;
  image: string | null;
  namespace: string | null;
  workload: string | null;
  reason: string;
  owner: string;
  expiresAt: string;
  createdBy: string;
  createdAt: string;
}

/** Vulnerability exceptions in force at `now` (not revoked, not expired), soonest expiry first. */
export async function listAcceptedVulnerabilities(db: Db, now: Date, limit = 200): Promise<AcceptedVulnerabilityRow[]> {
  const rows = await db.vulnerabilityException.findMany({
    where: { revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ expiresAt: "asc" }, { vulnerabilityId: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({
    id: r.id,
    vulnerabilityId: r.vulnerabilityId,
    image: r.image,
    namespace: r.namespace,
    workload: r.workload,
    reason: r.reason,
    owner: r.owner,
    expiresAt: r.expiresAt.toISOString(),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  }));
}
