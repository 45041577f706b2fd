import "server-only";
import { getDb, Prisma } from "@/lib/db";
import { scopeSql, type ScopedFilter } from "./scope";
import { getLastCompleteRuns, lastSeenOf } from "./last-seen";

export const API_PAGE_SIZE = 100;

export type ApiWorkloadFilter = ScopedFilter & { kind?: string; page: number };

export interface ApiWorkload {
  id: string;
  targetId: string;
  targetName: string;
  namespace: string;
  kind: string;
  name: string;
  replicas: number;
  containers: { name: string; image: string; digest: string | null; score: number | null }[];
  openFindings: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Current (not gone) workloads with their current containers, by target, namespace and name. */
export async function listApiWorkloads(filter: ApiWorkloadFilter): Promise<{ rows: ApiWorkload[]; total: number }> {
  const db = getDb();
  const where = Prisma.sql`WHERE w."goneAt" IS NULL ${scopeSql(filter)} ${filter.kind ? Prisma.sql`AND w."kind" = ${filter.kind}` : Prisma.empty}`;
  const [page, counted] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`
      SELECT w."id" FROM "Workload" w ${where}
      ORDER BY w."targetId", w."namespace", w."name", w."id"
      LIMIT ${API_PAGE_SIZE} OFFSET ${(filter.page - 1) * API_PAGE_SIZE}`,
    db.$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM "Workload" w ${where}`,
  ]);
  const order = new Map(page.map((row, i) => [row.id, i]));
  const total = Number(counted[0]?.n ?? 0);
  const workloads = (
    await db.workload.findMany({
      where: { id: { in: page.map((row) => row.id) } },
      include: {
        target: { select: { name: true } },
        containers: {
          where: { goneAt: null },
          orderBy: { name: "asc" },
          include: { _count: { select: { findings: { where: { status: "open" } } } } },
        },
      },
    })
  ).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const lastRuns = await getLastCompleteRuns(workloads.map((w) => w.targetId));
  const rows = workloads.map((workload) => ({
    id: workload.id,
    targetId: workload.targetId,
    targetName: workload.target.name,
    namespace: workload.namespace,
    kind: workload.kind,
    name: workload.name,
    replicas: workload.replicas,
    containers: workload.containers.map((c) => ({ name: c.name, image: c.image, digest: c.digest, score: c.score })),
    openFindings: workload.containers.reduce((sum, c) => sum + c._count.findings, 0),
    firstSeenAt: workload.firstSeenAt.toISOString(),
    lastSeenAt: lastSeenOf(workload, lastRuns).toISOString(),
  }));
  return { rows, total };
}
