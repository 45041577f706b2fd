import "server-only";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { getDb } from "@/lib/db";

export interface ExceptionRow {
  id: string;
  checkId: string;
  /** The check's title, or its id when the catalog no longer has it. */
  checkTitle: string;
  targetId: string | null;
  targetName: string | null;
  namespace: string | null;
  workload: string | null;
  container: string | null;
  image: string | null;
  reason: string;
  owner: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** The entry's key when `rampart exceptions apply` manages it from a file; change it there, not here. */
  fileKey: string | null;
  revokedBy: string | null;
  /** Findings currently marked excepted by this exception. */
  exceptedFindings: number;
}

export interface ExceptionLists {
  active: ExceptionRow[];
  /** Expired or revoked, newest first. */
  ended: ExceptionRow[];
}

const ENDED_LIMIT = 200;

/** Active ones soonest to expire first, so the ones needing a decision lead. */
export async function listExceptions(now: Date = new Date()): Promise<ExceptionLists> {
  const db = getDb();
  const include = { _count: { select: { findings: { where: { status: "excepted" } } } } };
  const [active, ended, targets] = await Promise.all([
    db.exception.findMany({
      where: { revokedAt: null, expiresAt: { gt: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      include,
    }),
    db.exception.findMany({
      where: { OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: now } }] },
      orderBy: [{ expiresAt: "desc" }, { id: "asc" }],
      take: ENDED_LIMIT,
      include,
    }),
    db.target.findMany({ select: { id: true, name: true } }),
  ]);
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const toRow = (e: (typeof active)[number]): ExceptionRow => ({
    id: e.id,
    checkId: e.checkId,
    checkTitle: CHECK_CATALOG.find((check) => check.id === e.checkId)?.title ?? e.checkId,
    targetId: e.targetId,
    targetName: e.targetId ? (names.get(e.targetId) ?? null) : null,
    namespace: e.namespace,
    workload: e.workload,
    container: e.container,
    image: e.image,
    reason: e.reason,
    owner: e.owner,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    expiresAt: e.expiresAt.toISOString(),
    revokedAt: e.revokedAt?.toISOString() ?? null,
    fileKey: e.fileKey,
    revokedBy: e.revokedBy,
    exceptedFindings: e._count.findings,
  });
  return { active: active.map(toRow), ended: ended.map(toRow) };
}

export async function listTargetChoices(): Promise<{ id: string; name: string }[]> {
  return getDb().target.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}
