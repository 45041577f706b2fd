import { Prisma, type Db } from "@/lib/db";

/** Deletes reports superseded before the cutoff, with their digests, vulnerabilities and statements. */
export async function pruneReports(db: Db, input: { cutoff: Date }): Promise<number> {
  return db.$executeRaw(
    Prisma.sql`DELETE FROM "ScanReport" WHERE "supersededAt" < ${input.cutoff.toISOString()}::timestamp(3)`,
  );
}
