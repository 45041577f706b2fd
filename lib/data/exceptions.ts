import "server-only";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { getDb, Prisma } from "@/lib/db";
import { isWholeFleet, type Access } from "@/lib/scope/access-scope";
import { exceptionOutsideAccess } from "./exception-access";
import { accessSql, exceptionScopeSql, targetAccessSql } from "./scope";

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
  /** The caller may extend or revoke it: it lies inside the caller's access (lib/data/exception-access.ts). */
  isWithinAccess: boolean;
  /** Findings currently marked excepted by this exception, within the caller's access. */
  exceptedFindings: number;
}

export interface ExceptionLists {
  active: ExceptionRow[];
  /** Expired or revoked, newest first. */
  ended: ExceptionRow[];
}

const ENDED_LIMIT = 200;

/** Ids of the exceptions bearing on the caller's access (lib/data/scope.ts); null for the whole fleet. */
async function visibleIds(access: Access): Promise<string[] | null> {
  if (isWholeFleet(access)) return null;
  const rows = await getDb().$queryRaw<{ id: string }[]>`
    SELECT x."id" FROM "Exception" x WHERE TRUE ${exceptionScopeSql({ access })}`;
  return rows.map((row) => row.id);
}

/** Excepted findings per exception, counted within the caller's access. */
async function countExcepted(ids: string[], access: Access): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await getDb().$queryRaw<{ id: string; n: bigint }[]>`
    SELECT f."exceptionId" AS id, count(*)::bigint AS n
    FROM "Finding" f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
    WHERE f."status" = 'excepted' AND f."exceptionId" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
      ${accessSql(access)}
    GROUP BY 1`;
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}

/**
 * Active ones soonest to expire first, so the ones needing a decision lead. A scoped caller sees the exceptions
 * bearing on its access, each counting only the excepted findings inside it.
 */
export async function listExceptions(access: Access, now: Date = new Date()): Promise<ExceptionLists> {
  const db = getDb();
  const ids = await visibleIds(access);
  const visible = ids === null ? {} : { id: { in: ids } };
  const [active, ended, targets] = await Promise.all([
    db.exception.findMany({
      where: { ...visible, revokedAt: null, expiresAt: { gt: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    }),
    db.exception.findMany({
      where: { ...visible, OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: now } }] },
      orderBy: [{ expiresAt: "desc" }, { id: "asc" }],
      take: ENDED_LIMIT,
    }),
    db.target.findMany({ select: { id: true, name: true } }),
  ]);
  const excepted = await countExcepted(
    [...active, ...ended].map((e) => e.id),
    access,
  );
  const outside = new Set<string>();
  if (!isWholeFleet(access))
    for (const e of [...active, ...ended]) if (await exceptionOutsideAccess(access, e)) outside.add(e.id);
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
    isWithinAccess: !outside.has(e.id),
    exceptedFindings: excepted.get(e.id) ?? 0,
  });
  return { active: active.map(toRow), ended: ended.map(toRow) };
}

/** Targets the caller may see, for the exception form. */
export async function listTargetChoices(access: Access): Promise<{ id: string; name: string }[]> {
  return getDb().$queryRaw<{ id: string; name: string }[]>`
    SELECT t."id", t."name" FROM "Target" t WHERE TRUE ${targetAccessSql(access)} ORDER BY t."name"`;
}
