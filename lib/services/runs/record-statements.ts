import { Prisma } from "@/lib/db";
import { chunk, type StatementCounter } from "../statement-counter";
import type { ContainerRow, WorkloadRow } from "./container-rows";
import type { ExistingFinding, FindingEventKind, FindingState } from "./finding-transitions";
import type { RollupRow } from "./rollups";

const CHUNK = 2000;

function json(value: unknown): string {
  return JSON.stringify(value);
}

export interface WorkloadId {
  id: string;
  namespace: string;
  kind: string;
  name: string;
}

export async function upsertWorkloads(
  q: StatementCounter,
  targetId: string,
  rows: WorkloadRow[],
  now: string,
): Promise<WorkloadId[]> {
  if (rows.length === 0) return [];
  return q.writeReturning<WorkloadId>(Prisma.sql`
    INSERT INTO "Workload" ("id", "targetId", "namespace", "kind", "name", "podSecurity", "labels", "namespaceLabels", "replicas", "firstSeenAt", "lastSeenAt")
    SELECT gen_random_uuid(), ${targetId}::uuid, w.namespace, w.kind, w.name, w."podSecurity", w.labels, w."namespaceLabels", w.replicas,
      ${now}::timestamp(3), ${now}::timestamp(3)
    FROM jsonb_to_recordset(${json(rows)}::jsonb)
      AS w(namespace text, kind text, name text, "podSecurity" jsonb, labels jsonb, "namespaceLabels" jsonb, replicas int)
    ON CONFLICT ("targetId", "namespace", "kind", "name") DO UPDATE
    SET "lastSeenAt" = EXCLUDED."lastSeenAt", "goneAt" = NULL, "podSecurity" = EXCLUDED."podSecurity",
      "labels" = EXCLUDED."labels", "namespaceLabels" = EXCLUDED."namespaceLabels", "replicas" = EXCLUDED."replicas"
    RETURNING "id", "namespace", "kind", "name"`);
}

export interface CurrentContainer {
  id: string;
  workloadId: string;
  name: string;
  factsHash: string;
}

export async function listCurrentContainers(q: StatementCounter, targetId: string): Promise<CurrentContainer[]> {
  return q.query<CurrentContainer>(Prisma.sql`
    SELECT c."id", c."workloadId", c."name", c."factsHash" FROM "Container" c
    JOIN "Workload" w ON w."id" = c."workloadId"
    WHERE w."targetId" = ${targetId}::uuid AND c."goneAt" IS NULL`);
}

/** The whole cost of an unchanged container: one shared statement. */
export async function touchContainers(q: StatementCounter, ids: string[], now: string): Promise<void> {
  if (ids.length === 0) return;
  await q.execute(Prisma.sql`
    UPDATE "Container" SET "lastSeenAt" = ${now}::timestamp(3)
    WHERE "id" IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(ids)}::jsonb))`);
}

export async function upsertContainers(
  q: StatementCounter,
  rows: (ContainerRow & { workloadId: string })[],
  now: string,
): Promise<CurrentContainer[]> {
  const saved: CurrentContainer[] = [];
  for (const part of chunk(rows, CHUNK)) {
    const input = part.map(({ workloadId, name, image, digest, factsHash, results, score }) => ({
      workloadId,
      name,
      image,
      digest,
      factsHash,
      results,
      score,
    }));
    saved.push(
      ...(await q.writeReturning<CurrentContainer>(Prisma.sql`
        INSERT INTO "Container" ("id", "workloadId", "name", "image", "digest", "factsHash", "results", "score", "firstSeenAt", "lastSeenAt")
        SELECT gen_random_uuid(), c."workloadId", c.name, c.image, c.digest, c."factsHash", c.results, c.score, ${now}::timestamp(3), ${now}::timestamp(3)
        FROM jsonb_to_recordset(${json(input)}::jsonb)
          AS c("workloadId" uuid, name text, image text, digest text, "factsHash" text, results jsonb, score double precision)
        ON CONFLICT ("workloadId", "name") DO UPDATE
        SET "image" = EXCLUDED."image", "digest" = EXCLUDED."digest", "factsHash" = EXCLUDED."factsHash",
            "results" = EXCLUDED."results", "score" = EXCLUDED."score", "lastSeenAt" = EXCLUDED."lastSeenAt", "goneAt" = NULL
        RETURNING "id", "workloadId", "name", "factsHash"`)),
    );
  }
  return saved;
}

export async function listFindings(q: StatementCounter, containerIds: string[]): Promise<ExistingFinding[]> {
  if (containerIds.length === 0) return [];
  return q.query<ExistingFinding>(Prisma.sql`
    SELECT "id", "fingerprint", "status", "exceptionId", "message", "severity", "fieldPath" FROM "Finding"
    WHERE "containerId" IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(containerIds)}::jsonb))`);
}

export interface NewFinding extends FindingState {
  id: string;
  fingerprint: string;
  containerId: string;
  checkId: string;
}

export async function insertFindings(q: StatementCounter, rows: NewFinding[], now: string): Promise<void> {
  for (const part of chunk(rows, CHUNK * 5)) {
    await q.execute(Prisma.sql`
      INSERT INTO "Finding" ("id", "fingerprint", "containerId", "checkId", "status", "severity", "message", "fieldPath", "exceptionId", "firstSeenAt", "lastSeenAt")
      SELECT f.id, f.fingerprint, f."containerId", f."checkId", f.status, f.severity, f.message, f."fieldPath", f."exceptionId", ${now}::timestamp(3), ${now}::timestamp(3)
      FROM jsonb_to_recordset(${json(part)}::jsonb)
        AS f(id uuid, fingerprint text, "containerId" uuid, "checkId" text, status text, severity text, message text, "fieldPath" text, "exceptionId" uuid)`);
  }
}

export interface FindingUpdate extends FindingState {
  id: string;
}

/** Status changes and evidence refreshes of many findings in one statement per chunk. */
export async function updateFindings(q: StatementCounter, rows: FindingUpdate[], now: string): Promise<void> {
  for (const part of chunk(rows, CHUNK)) {
    await q.execute(Prisma.sql`
      UPDATE "Finding" f SET
        "status" = u.status, "exceptionId" = u."exceptionId", "message" = u.message, "severity" = u.severity,
        "fieldPath" = u."fieldPath", "lastSeenAt" = ${now}::timestamp(3),
        "resolution" = CASE WHEN u.status = 'resolved' THEN 'fixed' ELSE NULL END,
        "resolvedAt" = CASE WHEN u.status = 'resolved' THEN COALESCE(f."resolvedAt", ${now}::timestamp(3)) ELSE NULL END
      FROM jsonb_to_recordset(${json(part)}::jsonb)
        AS u(id uuid, status text, "exceptionId" uuid, message text, severity text, "fieldPath" text)
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

/** Marks the target's containers not seen in this run gone and resolves their findings as removed, in one statement. */
export async function markGone(
  q: StatementCounter,
  input: { targetId: string; runId: string; seenContainerIds: string[]; seenWorkloadIds: string[]; now: string },
): Promise<number> {
  const { targetId, runId, now } = input;
  const [counts] = await q.query<GoneCounts>(Prisma.sql`
    WITH gone AS (
      UPDATE "Container" c SET "goneAt" = ${now}::timestamp(3)
      FROM "Workload" w
      WHERE w."id" = c."workloadId" AND w."targetId" = ${targetId}::uuid AND c."goneAt" IS NULL
        AND c."id" NOT IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(input.seenContainerIds)}::jsonb))
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
  await q.execute(Prisma.sql`
    UPDATE "Workload" SET "goneAt" = ${now}::timestamp(3)
    WHERE "targetId" = ${targetId}::uuid AND "goneAt" IS NULL
      AND "id" NOT IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(input.seenWorkloadIds)}::jsonb))`);
  return counts?.removed ?? 0;
}

export async function insertRollups(q: StatementCounter, rows: RollupRow[], now: string): Promise<void> {
  for (const part of chunk(rows, CHUNK * 10)) {
    await q.execute(Prisma.sql`
      INSERT INTO "RunRollup" ("id", "runId", "targetId", "namespace", "checkId", "passed", "failed", "at")
      SELECT gen_random_uuid(), r."runId", r."targetId", r.namespace, r."checkId", r.passed, r.failed, ${now}::timestamp(3)
      FROM jsonb_to_recordset(${json(part)}::jsonb)
        AS r("runId" uuid, "targetId" uuid, namespace text, "checkId" text, passed int, failed int)`);
  }
}
