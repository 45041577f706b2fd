import { Prisma, type Db } from "@/lib/db";
import type { Access } from "@/lib/scope/access-scope";
import { runningContainersSql } from "./image";

export const IMAGE_WORKLOADS_LIMIT = 200;

export interface ImageWorkloadRow {
  workloadId: string;
  targetName: string;
  namespace: string | null;
  kind: string;
  workload: string;
  container: string;
  /** The reference it runs by. */
  image: string;
}

/** Containers within access running any of the image's digests now (a GIN overlap), by target, namespace, name. */
export async function listImageWorkloads(
  db: Db,
  input: { access: Access; digests: string[] },
  limit = IMAGE_WORKLOADS_LIMIT,
): Promise<ImageWorkloadRow[]> {
  return db.$queryRaw<ImageWorkloadRow[]>(Prisma.sql`
    SELECT * FROM (
      SELECT w."id" AS "workloadId", (SELECT t."name" FROM "Target" t WHERE t."id" = w."targetId") AS "targetName",
        w."namespace", w."kind", w."name" AS "workload", c."name" AS "container", c."image"
      ${runningContainersSql(input.access)} AND c."digests" && ${input.digests}::text[]) x
    ORDER BY x."targetName", x."namespace", x."workload", x."container"
    LIMIT ${limit}`);
}
