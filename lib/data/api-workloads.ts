import "server-only";
import { getDb } from "@/lib/db";
import { getLastCompleteRuns, lastSeenOf } from "./last-seen";

export const API_PAGE_SIZE = 100;

export interface ApiWorkloadFilter {
  /** Target name. */
  target?: string;
  namespace?: string;
  kind?: string;
  page: number;
}

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
  const where = {
    goneAt: null,
    ...(filter.target ? { target: { name: filter.target } } : {}),
    ...(filter.namespace !== undefined ? { namespace: filter.namespace } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
  };
  const db = getDb();
  const [workloads, total] = await Promise.all([
    db.workload.findMany({
      where,
      orderBy: [{ targetId: "asc" }, { namespace: "asc" }, { name: "asc" }, { id: "asc" }],
      skip: (filter.page - 1) * API_PAGE_SIZE,
      take: API_PAGE_SIZE,
      include: {
        target: { select: { name: true } },
        containers: {
          where: { goneAt: null },
          orderBy: { name: "asc" },
          include: { _count: { select: { findings: { where: { status: "open" } } } } },
        },
      },
    }),
    db.workload.count({ where }),
  ]);
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
