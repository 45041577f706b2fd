import { Prisma, type Db } from "@/lib/db";

/** One worker analyzes at a time; the others skip (the statistics serve everyone). */
const ANALYZE_LOCK = 0x72616d70; // "ramp"

/**
 * Refreshes the planner's statistics of every table whose rows changed by more than its size at the last ANALYZE
 * (and by over `minChanged` rows): the jump of a first poll, which autovacuum (if it runs at all) analyzes only on
 * its next round. Without statistics a per-target query plans as if tables were empty: the rollup query of a target
 * took 717 ms on a freshly filled database instead of 38 ms. A table's size doubles a few dozen times at most, so
 * this runs rarely; otherwise it is one read of the statistics views. Returns the tables analyzed.
 */
export async function analyzeGrownTables(db: Db, options: { minChanged?: number } = {}): Promise<string[]> {
  const minChanged = options.minChanged ?? 1000;
  // The statistics functions on pg_class directly: the pg_stat_user_tables view computes some twenty per table.
  const grown = await db.$queryRaw<{ name: string }[]>(Prisma.sql`
    SELECT c.relname AS name FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
      AND pg_stat_get_mod_since_analyze(c.oid) > ${minChanged} + greatest(c.reltuples, 0)`);
  if (grown.length === 0) return [];
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ held: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ANALYZE_LOCK}) AS held`;
      if (!lock?.held) return [];
      // Names come from the catalog, quoted as identifiers by Postgres itself.
      const [statement] = await tx.$queryRaw<{ text: string }[]>(Prisma.sql`
      SELECT 'ANALYZE ' || string_agg(format('%I', name), ', ') AS text
      FROM unnest(${grown.map((g) => g.name)}::text[]) AS name`);
      if (statement?.text) await tx.$executeRawUnsafe(statement.text);
      return grown.map((g) => g.name).sort();
    },
    { timeout: 120_000 },
  );
}
