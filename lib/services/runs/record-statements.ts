import { Prisma } from "@/lib/db";
import { WORKLOAD_TEAM_SQL } from "@/lib/domain/team";
import { chunk, type StatementCounter } from "../statement-counter";
import { sha256Uuid, type ResultSetRow } from "./container-rows";
import { canonical, type ExistingFinding, type FindingEventKind, type FindingState } from "./finding-transitions";

const CHUNK = 2000;

function json(value: unknown): string {
  return JSON.stringify(value);
}

export interface StoredRow {
  workloadId: string;
  namespace: string;
  kind: string;
  name: string;
  stateHash: string;
  containerId: string | null;
  containerName: string | null;
  factsHash: string | null;
  listedVersion: string | null;
}

/** A StoredRow of workload `w` and container `c`. */
const STORED_COLUMNS = Prisma.sql`w."id" AS "workloadId", w."namespace", w."kind", w."name", w."stateHash",
  c."id" AS "containerId", c."name" AS "containerName", c."factsHash", c."listedVersion"`;

/** The stored hashes of the named current workloads of a target and of their current containers: one statement. */
export async function listStoredHashes(
  q: StatementCounter,
  targetId: string,
  keys: { namespace: string; kind: string; name: string }[],
): Promise<StoredRow[]> {
  if (keys.length === 0) return [];
  return q.query<StoredRow>(Prisma.sql`
    SELECT ${STORED_COLUMNS}
    FROM jsonb_to_recordset(${json(keys)}::jsonb) AS k(namespace text, kind text, name text)
      JOIN "Workload" w ON w."targetId" = ${targetId}::uuid AND w."namespace" = k.namespace AND w."kind" = k.kind
        AND w."name" = k.name AND w."goneAt" IS NULL
      LEFT JOIN "Container" c ON c."workloadId" = w."id" AND c."goneAt" IS NULL`);
}

export interface WorkloadWrite {
  namespace: string;
  kind: string;
  name: string;
  stateHash: string;
  podSecurity: unknown;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  replicas: number;
}

export interface WorkloadId {
  id: string;
  namespace: string;
  kind: string;
  name: string;
}

/** New, returning or changed workloads; unchanged ones are never written. */
export async function upsertWorkloads(
  q: StatementCounter,
  targetId: string,
  rows: WorkloadWrite[],
  now: string,
): Promise<WorkloadId[]> {
  if (rows.length === 0) return [];
  return q.writeReturning<WorkloadId>(Prisma.sql`
    INSERT INTO "Workload" ("id", "targetId", "namespace", "kind", "name", "stateHash", "podSecurity", "labels", "namespaceLabels", "replicas", "firstSeenAt")
    SELECT gen_random_uuid(), ${targetId}::uuid, w.namespace, w.kind, w.name, w."stateHash", w."podSecurity", w.labels, w."namespaceLabels", w.replicas,
      ${now}::timestamp(3)
    FROM jsonb_to_recordset(${json(rows)}::jsonb)
      AS w(namespace text, kind text, name text, "stateHash" text, "podSecurity" jsonb, labels jsonb, "namespaceLabels" jsonb, replicas int)
    ON CONFLICT ("targetId", "namespace", "kind", "name") DO UPDATE
    SET "goneAt" = NULL, "stateHash" = EXCLUDED."stateHash", "podSecurity" = EXCLUDED."podSecurity",
      "labels" = EXCLUDED."labels", "namespaceLabels" = EXCLUDED."namespaceLabels", "replicas" = EXCLUDED."replicas"
    RETURNING "id", "namespace", "kind", "name"`);
}

export interface ContainerWrite {
  workloadId: string;
  name: string;
  image: string;
  digest: string | null;
  /** Every digest of the running image (report matching). */
  digests: string[];
  factsHash: string;
  listedVersion: string | null;
  /** Its passes and checks not judged (a ResultSet row, stored by storeResultSets). */
  resultSetId: string;
  score: number | null;
  runSpec: unknown;
}

export interface SavedContainer {
  id: string;
  workloadId: string;
  name: string;
}

/** New or re-judged containers, in one multi-row statement per chunk. */
export async function upsertContainers(
  q: StatementCounter,
  rows: ContainerWrite[],
  now: string,
): Promise<SavedContainer[]> {
  const saved: SavedContainer[] = [];
  for (const part of chunk(rows, CHUNK)) {
    saved.push(
      ...(await q.writeReturning<SavedContainer>(Prisma.sql`
        INSERT INTO "Container" ("id", "workloadId", "name", "image", "digest", "digests", "factsHash", "listedVersion", "resultSetId", "score", "runSpec", "firstSeenAt")
        SELECT gen_random_uuid(), c."workloadId", c.name, c.image, c.digest, ARRAY(SELECT jsonb_array_elements_text(c.digests)),
          c."factsHash", c."listedVersion", c."resultSetId", c.score, c."runSpec", ${now}::timestamp(3)
        FROM jsonb_to_recordset(${json(part)}::jsonb)
          AS c("workloadId" uuid, name text, image text, digest text, digests jsonb, "factsHash" text, "listedVersion" text, "resultSetId" uuid, score double precision, "runSpec" jsonb)
        ON CONFLICT ("workloadId", "name") DO UPDATE
        SET "image" = EXCLUDED."image", "digest" = EXCLUDED."digest", "digests" = EXCLUDED."digests", "factsHash" = EXCLUDED."factsHash", "listedVersion" = EXCLUDED."listedVersion",
            "resultSetId" = EXCLUDED."resultSetId", "score" = EXCLUDED."score", "runSpec" = EXCLUDED."runSpec", "goneAt" = NULL
        RETURNING "id", "workloadId", "name"`)),
    );
  }
  return saved;
}

/** Containers read again with unchanged facts but a new listed version (e.g. after a restart): that column only. */
export async function updateListedVersions(
  q: StatementCounter,
  rows: { id: string; listedVersion: string }[],
): Promise<void> {
  for (const part of chunk(rows, CHUNK)) {
    await q.execute(Prisma.sql`
      UPDATE "Container" c SET "listedVersion" = u."listedVersion"
      FROM jsonb_to_recordset(${json(part)}::jsonb) AS u(id uuid, "listedVersion" text)
      WHERE c."id" = u.id`);
  }
}

/** Listed versions of the target's current containers: what a collector may leave unread. */
/**
 * Every current workload of a target with its current containers, as listStoredHashes gives them for named ones: at
 * most `limit` rows, so a caller holds a small target whole and reads a big one batch by batch.
 */
export async function listTargetStoredRows(q: StatementCounter, targetId: string, limit: number): Promise<StoredRow[]> {
  return q.query<StoredRow>(Prisma.sql`
    SELECT ${STORED_COLUMNS}
    FROM "Workload" w LEFT JOIN "Container" c ON c."workloadId" = w."id" AND c."goneAt" IS NULL
    WHERE w."targetId" = ${targetId}::uuid AND w."goneAt" IS NULL
    LIMIT ${limit}::int`);
}

export async function listListedVersions(q: StatementCounter, targetId: string): Promise<string[]> {
  const rows = await q.query<{ listedVersion: string }>(Prisma.sql`
    SELECT c."listedVersion" FROM "Workload" w JOIN "Container" c ON c."workloadId" = w."id" AND c."goneAt" IS NULL
    WHERE w."targetId" = ${targetId}::uuid AND w."goneAt" IS NULL AND c."listedVersion" IS NOT NULL`);
  return rows.map((r) => r.listedVersion);
}

export async function listFindings(q: StatementCounter, containerIds: string[]): Promise<ExistingFinding[]> {
  if (containerIds.length === 0) return [];
  return q.query<ExistingFinding>(Prisma.sql`
    SELECT f."id", f."checkId", f."containerId", f."status", f."exceptionId", f."message", f."severity", f."fieldPath", x."remediation"
    FROM "Finding" f LEFT JOIN "Fix" x ON x."id" = f."fixId"
    WHERE f."containerId" = ANY(${containerIds}::uuid[])`);
}

export interface NewFinding extends FindingState {
  id: string;
  containerId: string;
  checkId: string;
}

/** Ids already computed, per fix object: a batch asks for each twice (storing fixes, then pointing findings at them). */
const fixIds = new WeakMap<object, string>();

/**
 * Ids per fix as rendered (plain JSON, keys in the renderer's order): a fleet renders the same few fixes for many
 * containers (~10 findings per distinct fix on the fleet benchmark), and one native stringify is cheaper than sorting
 * keys and hashing. Equal texts are equal fixes, so the id is the same; cleared when it grows past LATEST_FIXES.
 */
const idsByText = new Map<string, string>();
const LATEST_FIXES = 20_000;

/** A fix's row id: the first 128 bits of the sha256 of its canonical JSON, so equal fixes share one row. */
export function fixId(remediation: unknown): string | null {
  if (remediation === null || remediation === undefined) return null;
  const known = typeof remediation === "object" ? fixIds.get(remediation) : undefined;
  if (known) return known;
  const text = JSON.stringify(remediation);
  let id = idsByText.get(text);
  if (!id) {
    id = sha256Uuid(canonical(remediation));
    if (idsByText.size >= LATEST_FIXES) idsByText.clear();
    idsByText.set(text, id);
  }
  if (typeof remediation === "object") fixIds.set(remediation, id);
  return id;
}

/**
 * Stores each distinct fix once, in id order, outside the batch's transaction: two workers sharing fixes only wait
 * for each other's short insert, never for a whole batch (and never deadlock). A fix of a batch that then fails
 * stays unused until maintenance prunes it.
 */
export async function storeFixes(q: StatementCounter, remediations: readonly unknown[]): Promise<void> {
  const fixes = new Map<string, unknown>();
  for (const remediation of remediations) {
    const id = fixId(remediation);
    if (id) fixes.set(id, remediation);
  }
  const sorted = [...fixes].sort(([a], [b]) => a.localeCompare(b)).map(([id, remediation]) => ({ id, remediation }));
  for (const part of chunk(sorted, CHUNK)) {
    await q.execute(Prisma.sql`
      INSERT INTO "Fix" ("id", "remediation")
      SELECT x.id, x.remediation FROM jsonb_to_recordset(${json(part)}::jsonb) AS x(id uuid, remediation jsonb)
      ORDER BY x.id
      ON CONFLICT ("id") DO NOTHING`);
  }
}

/**
 * Stores each distinct result set once, in id order, outside the batch's transaction (as storeFixes, and pruned by
 * maintenance the same way when no container points at it).
 */
export async function storeResultSets(q: StatementCounter, sets: readonly ResultSetRow[]): Promise<void> {
  const sorted = [...new Map(sets.map((s) => [s.id, s])).values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const part of chunk(sorted, CHUNK)) {
    await q.execute(Prisma.sql`
      INSERT INTO "ResultSet" ("id", "passed", "notJudged")
      SELECT s.id, s.passed, s."notJudged" FROM jsonb_to_recordset(${json(part)}::jsonb) AS s(id uuid, passed jsonb, "notJudged" jsonb)
      ORDER BY s.id
      ON CONFLICT ("id") DO NOTHING`);
  }
}

/** Rows with the id of their fix (stored by storeFixes) in place of the fix. */
function withFixIds<T extends { remediation: unknown }>(
  rows: T[],
): (Omit<T, "remediation"> & { fixId: string | null })[] {
  return rows.map(({ remediation, ...row }) => ({ ...row, fixId: fixId(remediation) }));
}

export async function insertFindings(q: StatementCounter, rows: NewFinding[], now: string): Promise<void> {
  for (const part of chunk(withFixIds(rows), CHUNK * 5)) {
    await q.execute(Prisma.sql`
      INSERT INTO "Finding" ("id", "containerId", "checkId", "status", "severity", "message", "fieldPath", "fixId", "exceptionId", "firstSeenAt", "lastSeenAt")
      SELECT f.id, f."containerId", f."checkId", f.status, f.severity, f.message, f."fieldPath", f."fixId", f."exceptionId", ${now}::timestamp(3), ${now}::timestamp(3)
      FROM jsonb_to_recordset(${json(part)}::jsonb)
        AS f(id uuid, "containerId" uuid, "checkId" text, status text, severity text, message text, "fieldPath" text, "fixId" uuid, "exceptionId" uuid)`);
  }
}

export interface FindingUpdate extends FindingState {
  id: string;
}

/** Status changes and evidence refreshes of many findings in one statement per chunk. */
export async function updateFindings(q: StatementCounter, rows: FindingUpdate[], now: string): Promise<void> {
  for (const part of chunk(withFixIds(rows), CHUNK)) {
    await q.execute(Prisma.sql`
      UPDATE "Finding" f SET
        "status" = u.status, "exceptionId" = u."exceptionId", "message" = u.message, "severity" = u.severity,
        "fieldPath" = u."fieldPath", "fixId" = u."fixId", "lastSeenAt" = ${now}::timestamp(3),
        "resolution" = CASE WHEN u.status = 'resolved' THEN 'fixed' ELSE NULL END,
        "resolvedAt" = CASE WHEN u.status = 'resolved' THEN COALESCE(f."resolvedAt", ${now}::timestamp(3)) ELSE NULL END
      FROM jsonb_to_recordset(${json(part)}::jsonb)
        AS u(id uuid, status text, "exceptionId" uuid, message text, severity text, "fieldPath" text, "fixId" uuid)
      WHERE f."id" = u.id`);
  }
}

export interface NewEvent {
  findingId: string;
  kind: FindingEventKind;
}

export async function insertEvents(q: StatementCounter, runId: string, rows: NewEvent[], now: string): Promise<void> {
  for (const part of chunk(rows, CHUNK * 10)) {
    await q.execute(Prisma.sql`
      INSERT INTO "FindingEvent" ("id", "findingId", "runId", "kind", "at")
      SELECT gen_random_uuid(), e."findingId", ${runId}::uuid, e.kind, ${now}::timestamp(3)
      FROM jsonb_to_recordset(${json(part)}::jsonb) AS e("findingId" uuid, kind text)`);
  }
}

interface GoneCounts {
  gone: number;
  removed: number;
  events: number;
}

/**
 * Marks the target's current containers this run did not see gone, resolves their findings as removed, and
 * marks unseen workloads gone. The seen ids go in as arrays, which Postgres anti-joins by hash.
 */
export async function markGone(
  q: StatementCounter,
  input: { targetId: string; runId: string; seenContainerIds: string[]; seenWorkloadIds: string[]; now: string },
): Promise<{ gone: number; removed: number }> {
  const { targetId, runId, now } = input;
  const [counts] = await q.query<GoneCounts>(Prisma.sql`
    WITH seen AS (SELECT unnest(${input.seenContainerIds}::uuid[]) AS id),
    gone AS (
      UPDATE "Container" c SET "goneAt" = ${now}::timestamp(3)
      FROM "Workload" w
      WHERE w."id" = c."workloadId" AND w."targetId" = ${targetId}::uuid AND c."goneAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.id = c."id")
      RETURNING c."id"
    ), removed AS (
      UPDATE "Finding" f SET "status" = 'resolved', "resolution" = 'removed', "resolvedAt" = ${now}::timestamp(3)
      FROM gone WHERE f."containerId" = gone."id" AND f."status" <> 'resolved'
      RETURNING f."id"
    ), events AS (
      INSERT INTO "FindingEvent" ("id", "findingId", "runId", "kind", "at")
      SELECT gen_random_uuid(), removed."id", ${runId}::uuid, 'removed', ${now}::timestamp(3) FROM removed
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM gone) AS gone, (SELECT count(*)::int FROM removed) AS removed,
      (SELECT count(*)::int FROM events) AS events`);
  q.rowsWritten += (counts?.gone ?? 0) + (counts?.removed ?? 0) + (counts?.events ?? 0);
  const workloads = await q.execute(Prisma.sql`
    WITH seen AS (SELECT unnest(${input.seenWorkloadIds}::uuid[]) AS id)
    UPDATE "Workload" w SET "goneAt" = ${now}::timestamp(3)
    WHERE w."targetId" = ${targetId}::uuid AND w."goneAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.id = w."id")`);
  return { gone: (counts?.gone ?? 0) + workloads, removed: counts?.removed ?? 0 };
}

/**
 * Rollups change-only: the target's current pass/fail counts per namespace × team × check (excepted failures in
 * neither), compared with the latest stored row of each key (RollupLatest); a row is written only where they differ,
 * 0/0 where a key disappeared, and RollupLatest follows. Readers take the latest row at or before a time.
 */
export async function writeChangedRollups(
  q: StatementCounter,
  input: { targetId: string; runId: string; now: string },
): Promise<number> {
  const { targetId, runId, now } = input;
  const written = await q.execute(Prisma.sql`
    WITH c AS (
      SELECT c."id", w."namespace", ${Prisma.raw(WORKLOAD_TEAM_SQL)} AS team, coalesce(r."passed", '[]') AS passed,
        coalesce(r."notJudged", '[]') AS "notJudged"
      FROM "Container" c JOIN "Workload" w ON w."id" = c."workloadId" LEFT JOIN "ResultSet" r ON r."id" = c."resultSetId"
      WHERE w."targetId" = ${targetId}::uuid AND c."goneAt" IS NULL
    ), passes AS (
      SELECT c."namespace", c.team, p AS "checkId", count(*)::int AS passed, 0 AS failed FROM c CROSS JOIN LATERAL jsonb_array_elements_text(c."passed") p
      GROUP BY 1, 2, 3
    ), failures AS (
      SELECT c."namespace", c.team, f."checkId", 0 AS passed, count(*)::int AS failed
      FROM c JOIN "Finding" f ON f."containerId" = c."id" AND f."status" = 'open'
      WHERE NOT c."notJudged" @> jsonb_build_array(jsonb_build_object('id', f."checkId")) AND NOT c."passed" @> jsonb_build_array(f."checkId")
      GROUP BY 1, 2, 3
    ), cur AS (
      SELECT "namespace", team, "checkId", sum(passed)::int AS passed, sum(failed)::int AS failed
      FROM (SELECT * FROM passes UNION ALL SELECT * FROM failures) u GROUP BY 1, 2, 3
    ), last AS (
      SELECT "namespace", "team", "checkId", "passed", "failed" FROM "RollupLatest" WHERE "targetId" = ${targetId}::uuid
    ), changed AS (
      SELECT coalesce(cur."namespace", last."namespace") AS "namespace", coalesce(cur.team, last."team") AS team,
        coalesce(cur."checkId", last."checkId") AS "checkId", coalesce(cur.passed, 0) AS passed, coalesce(cur.failed, 0) AS failed
      FROM cur FULL JOIN last
        ON last."namespace" = cur."namespace" AND last."team" = cur.team AND last."checkId" = cur."checkId"
      WHERE coalesce(cur.passed, 0) <> coalesce(last.passed, 0) OR coalesce(cur.failed, 0) <> coalesce(last.failed, 0)
    ), latest AS (
      INSERT INTO "RollupLatest" ("targetId", "namespace", "team", "checkId", "passed", "failed", "at")
      SELECT ${targetId}::uuid, "namespace", team, "checkId", passed, failed, ${now}::timestamp(3) FROM changed
      ON CONFLICT ("targetId", "namespace", "team", "checkId") DO UPDATE
      SET "passed" = EXCLUDED."passed", "failed" = EXCLUDED."failed", "at" = EXCLUDED."at"
    )
    INSERT INTO "RunRollup" ("id", "runId", "targetId", "namespace", "team", "checkId", "passed", "failed", "at")
    SELECT gen_random_uuid(), ${runId}::uuid, ${targetId}::uuid, "namespace", team, "checkId", passed, failed, ${now}::timestamp(3)
    FROM changed`);
  // Each changed key is one history row and one latest row.
  q.rowsWritten += written;
  return written;
}

/** Whether the target's previous run (before this one) ended succeeded or partial, so its rollups are current. */
export async function previousRunSettled(q: StatementCounter, targetId: string, runId: string): Promise<boolean> {
  const [row] = await q.query<{ status: string }>(Prisma.sql`
    SELECT "status" FROM "CollectionRun" WHERE "targetId" = ${targetId}::uuid AND "id" <> ${runId}::uuid
    ORDER BY "startedAt" DESC LIMIT 1`);
  return row === undefined || row.status === "succeeded" || row.status === "partial";
}

/** The inspect epoch of a complete run that read every container (the target's updatedAt follows, as Prisma's). */
export async function setInspectedEpoch(q: StatementCounter, targetId: string, epoch: string): Promise<void> {
  await q.execute(Prisma.sql`
    UPDATE "Target" SET "inspectedEpoch" = ${epoch}, "updatedAt" = ${new Date().toISOString()}::timestamp(3)
    WHERE "id" = ${targetId}::uuid`);
}

/** The run row's outcome and counts; its warnings only when given. */
export async function closeRun(
  q: StatementCounter,
  run: {
    runId: string;
    status: "succeeded" | "partial";
    finishedAt: string;
    containers: number;
    findingsOpened: number;
    findingsResolved: number;
    rowsWritten: number;
    warnings: string[] | undefined;
  },
): Promise<void> {
  await q.execute(Prisma.sql`
    UPDATE "CollectionRun" SET "status" = ${run.status}, "finishedAt" = ${run.finishedAt}::timestamp(3),
      "containers" = ${run.containers}::int, "findingsOpened" = ${run.findingsOpened}::int,
      "findingsResolved" = ${run.findingsResolved}::int, "rowsWritten" = ${run.rowsWritten}::int,
      "warnings" = coalesce(${run.warnings === undefined ? null : json(run.warnings)}::jsonb, "warnings")
    WHERE "id" = ${run.runId}::uuid`);
}
