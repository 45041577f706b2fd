import { Prisma, type Db } from "@/lib/db";
import type { ReportSeverity } from "@/lib/reports/model";

export interface ImageSecretRow {
  reportId: string;
  scanner: string;
  scannedAt: Date;
  ruleId: string;
  severity: ReportSeverity;
  title: string | null;
  file: string;
  layer: string | null;
}

/** Secrets the image's current reports found: rule, file and layer as stored (the matched text never is). */
export async function listImageSecrets(db: Db, reportIds: string[]): Promise<ImageSecretRow[]> {
  if (reportIds.length === 0) return [];
  return db.$queryRaw<ImageSecretRow[]>(Prisma.sql`
    SELECT r."id" AS "reportId", r."scanner", r."scannedAt", s->>'ruleId' AS "ruleId", s->>'severity' AS "severity",
      s->>'title' AS "title", s->>'file' AS "file", s->>'layer' AS "layer"
    FROM "ScanReport" r CROSS JOIN LATERAL jsonb_array_elements(r."secrets") s
    WHERE r."id" = ANY(${reportIds}::uuid[])
    ORDER BY CASE s->>'severity' WHEN 'CRITICAL' THEN 1 WHEN 'HIGH' THEN 2 WHEN 'MEDIUM' THEN 3 WHEN 'LOW' THEN 4 ELSE 5 END,
      s->>'file', s->>'ruleId'`);
}
