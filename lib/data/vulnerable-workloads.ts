import { Prisma, type Db } from "@/lib/db";

export interface VulnerableContainerRow {
  targetId: string;
  namespace: string;
  kind: string;
  workload: string;
  container: string;
  image: string;
  /** The digest the report shares with the running container. */
  digest: string;
  reportId: string;
  package: string;
  version: string;
  fixedVersion: string | null;
  severity: string;
}

/**
 * Which current containers run a vulnerability: its rows in current reports (ReportVulnerability by id), the
 * digests those reports name, and the containers whose digest set holds one (a GIN lookup per digest).
 * trivy-operator reports without digests are not joined here: they are matched at evaluation by labels.
 */
export async function listContainersRunningVulnerability(
  db: Db,
  vulnerabilityId: string,
  options: { limit?: number } = {},
): Promise<VulnerableContainerRow[]> {
  // A container sharing two digests with a report (image ID and repository digest) is listed once.
  return db.$queryRaw<VulnerableContainerRow[]>(Prisma.sql`
    SELECT * FROM (
      SELECT DISTINCT ON (c."id", v."reportId", v."package", v."version")
        w."targetId", w."namespace", w."kind", w."name" AS "workload", c."name" AS "container", c."image",
        d."digest", v."reportId", v."package", v."version", v."fixedVersion", v."severity"
      FROM "ReportVulnerability" v
      JOIN "ScanReport" r ON r."id" = v."reportId" AND r."supersededAt" IS NULL
      JOIN "ReportDigest" d ON d."reportId" = v."reportId"
      JOIN "Container" c ON c."digests" @> ARRAY[d."digest"] AND c."goneAt" IS NULL
      JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
      WHERE v."vulnerabilityId" = ${vulnerabilityId}
      ORDER BY c."id", v."reportId", v."package", v."version"
    ) x
    ORDER BY x."namespace", x."workload", x."container"
    LIMIT ${options.limit ?? 1000}`);
}
