import "server-only";
import { getDb, Prisma } from "@/lib/db";

/**
 * When each target's last complete (succeeded) run finished: the last-seen time of everything current on it.
 * Rows are not touched per poll (DESIGN.md "Storage"), so this is the one place last-seen comes from.
 */
export async function getLastCompleteRuns(targetIds: readonly string[]): Promise<Map<string, Date>> {
  const ids = [...new Set(targetIds)];
  if (ids.length === 0) return new Map();
  const rows = await getDb().$queryRaw<{ targetId: string; finishedAt: Date }[]>(Prisma.sql`
    SELECT t.id AS "targetId", l."finishedAt"
    FROM unnest(${ids}::uuid[]) AS t(id)
      CROSS JOIN LATERAL (
        SELECT r."finishedAt" FROM "CollectionRun" r
        WHERE r."targetId" = t.id AND r."status" = 'succeeded' AND r."finishedAt" IS NOT NULL
        ORDER BY r."startedAt" DESC LIMIT 1
      ) l`);
  return new Map(rows.map((row) => [row.targetId, row.finishedAt]));
}

/** Gone things were last seen when they went; current ones at their target's last complete run. */
export function lastSeenOf(
  row: { targetId: string; firstSeenAt: Date; goneAt: Date | null },
  lastRuns: Map<string, Date>,
): Date {
  if (row.goneAt) return row.goneAt;
  const last = lastRuns.get(row.targetId);
  return last && last > row.firstSeenAt ? last : row.firstSeenAt;
}
