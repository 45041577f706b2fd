import { Prisma, type Db } from "@/lib/db";

export interface PruneGoneResult {
  containers: number;
  findings: number;
  workloads: number;
  fixes: number;
  resultSets: number;
}

/**
 * Removes containers gone before `cutoff` with their findings (all resolved as removed when they went) and
 * events, then workloads gone before `cutoff` that have no container left, then fixes no finding points at (a
 * resolved finding drops its fix), and result sets no container points at. Live containers keep their history. A poll
 * that reuses a fix or a result set in the moment it is pruned fails on the foreign key and stores it again on its
 * next run.
 */
export async function pruneGone(db: Db, input: { cutoff: Date }): Promise<PruneGoneResult> {
  const cutoff = input.cutoff.toISOString();
  return db.$transaction(async (tx) => {
    const findings = await tx.$executeRaw(Prisma.sql`
      DELETE FROM "Finding" f USING "Container" c
      WHERE f."containerId" = c."id" AND c."goneAt" < ${cutoff}::timestamp(3)
        AND f."status" = 'resolved' AND f."resolvedAt" < ${cutoff}::timestamp(3)`);
    const containers = await tx.$executeRaw(Prisma.sql`
      DELETE FROM "Container" c WHERE c."goneAt" < ${cutoff}::timestamp(3)
        AND NOT EXISTS (SELECT 1 FROM "Finding" f WHERE f."containerId" = c."id")`);
    const workloads = await tx.$executeRaw(Prisma.sql`
      DELETE FROM "Workload" w WHERE w."goneAt" < ${cutoff}::timestamp(3)
        AND NOT EXISTS (SELECT 1 FROM "Container" c WHERE c."workloadId" = w."id")`);
    const fixes = await tx.$executeRaw(Prisma.sql`
      DELETE FROM "Fix" x WHERE NOT EXISTS (SELECT 1 FROM "Finding" f WHERE f."fixId" = x."id")`);
    const resultSets = await tx.$executeRaw(Prisma.sql`
      DELETE FROM "ResultSet" r WHERE NOT EXISTS (SELECT 1 FROM "Container" c WHERE c."resultSetId" = r."id")`);
    return { containers, findings, workloads, fixes, resultSets };
  });
}
