import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { StatementCounter } from "../statement-counter";
import { findingFingerprint, toRows, workloadKey, type ContainerRow } from "./container-rows";
import { planFindingChange, type ExistingFinding } from "./finding-transitions";
import * as sql from "./record-statements";
import { rollupRows } from "./rollups";
import { storableEvaluations, storableText } from "./storable-text";

export interface RecordRunInput {
  runId: string;
  targetId: string;
  evaluations: WorkloadEvaluation[];
  /** True only when the collector listed everything: then what was not seen is gone. */
  complete: boolean;
  /** Collector warnings (names and reasons, never secret values), kept on the run row. */
  warnings?: string[];
  now?: Date;
}

export interface RecordRunResult {
  rowsWritten: number;
  /** SQL statements issued inside the transaction (BEGIN/COMMIT not counted). */
  statements: number;
  findingsOpened: number;
  findingsResolved: number;
  /** The warnings kept on the run: the collector's, and one per workload whose text had to be cleaned. */
  warnings: string[];
}

interface Tally {
  opened: number;
  resolved: number;
}

const TRANSACTION = { maxWait: 60_000, timeout: 300_000 };

async function applyFindingChanges(
  q: StatementCounter,
  input: { targetId: string; runId: string; rows: (ContainerRow & { containerId: string })[]; now: Date },
): Promise<Tally> {
  const nowText = input.now.toISOString();
  const existing = await sql.listFindings(
    q,
    input.rows.map((r) => r.containerId),
  );
  const byFingerprint = new Map<string, ExistingFinding>(existing.map((f) => [f.fingerprint, f]));
  const creates: sql.NewFinding[] = [];
  const updates: sql.FindingUpdate[] = [];
  const events: sql.NewEvent[] = [];
  const tally: Tally = { opened: 0, resolved: 0 };
  for (const row of input.rows) {
    for (const result of row.results) {
      const fingerprint = findingFingerprint(input.targetId, row.workloadKey, row.name, result.id);
      const change = planFindingChange(result, byFingerprint.get(fingerprint));
      if (!change) continue;
      const id = change.type === "create" ? randomUUID() : change.id;
      if (change.type === "create")
        creates.push({ id, fingerprint, containerId: row.containerId, checkId: result.id, ...change.state });
      else updates.push({ id, ...change.state });
      if (change.event) events.push({ findingId: id, kind: change.event });
      if (change.event === "opened" || change.event === "reopened") tally.opened += 1;
      if (change.event === "resolved") tally.resolved += 1;
    }
  }
  await sql.insertFindings(q, creates, nowText);
  await sql.updateFindings(q, updates, nowText);
  await sql.insertEvents(q, input.runId, events, nowText);
  return tally;
}

type PlacedRow = ContainerRow & { workloadId: string };

/** Splits the run's containers into those whose hash is unchanged (ids) and the rest (rows to upsert). */
function partition(containers: ContainerRow[], workloadIds: Map<string, string>, current: sql.CurrentContainer[]) {
  const byKey = new Map(current.map((c) => [`${c.workloadId}/${c.name}`, c]));
  const unchanged: string[] = [];
  const changed: PlacedRow[] = [];
  for (const row of containers) {
    const workloadId = workloadIds.get(row.workloadKey);
    if (!workloadId) throw new Error(`Workload ${row.workloadKey} was not saved`);
    const existing = byKey.get(`${workloadId}/${row.name}`);
    if (existing && existing.factsHash === row.factsHash) unchanged.push(existing.id);
    else changed.push({ ...row, workloadId });
  }
  return { unchanged, changed };
}

function withContainerIds(rows: PlacedRow[], saved: sql.CurrentContainer[]) {
  const ids = new Map(saved.map((c) => [`${c.workloadId}/${c.name}`, c.id]));
  return rows.map((row) => {
    const containerId = ids.get(`${row.workloadId}/${row.name}`);
    if (!containerId) throw new Error(`Container ${row.name} of ${row.workloadKey} was not saved`);
    return { ...row, containerId };
  });
}

async function recordInTransaction(q: StatementCounter, input: RecordRunInput, now: Date): Promise<Tally> {
  const nowText = now.toISOString();
  const { targetId, runId } = input;
  const { workloads, containers } = toRows(input.evaluations);
  const savedWorkloads = await sql.upsertWorkloads(q, targetId, workloads, nowText);
  const workloadIds = new Map(savedWorkloads.map((w) => [workloadKey(w), w.id]));
  const { unchanged, changed } = partition(containers, workloadIds, await sql.listCurrentContainers(q, targetId));
  await sql.touchContainers(q, unchanged, nowText);
  const saved = await sql.upsertContainers(q, changed, nowText);
  const tally = await applyFindingChanges(q, { targetId, runId, rows: withContainerIds(changed, saved), now });
  if (input.complete) {
    const seenContainerIds = [...unchanged, ...saved.map((c) => c.id)];
    const seenWorkloadIds = [...workloadIds.values()];
    tally.resolved += await sql.markGone(q, { targetId, runId, seenContainerIds, seenWorkloadIds, now: nowText });
  }
  await sql.insertRollups(q, rollupRows({ runId, targetId }, containers, now), nowText);
  return tally;
}

/**
 * Stores one run's results change-only: unchanged containers cost one shared UPDATE, findings change only on
 * status transitions (each with a FindingEvent), rollups are written every run. Only a complete run marks gone.
 */
export async function recordRun(db: Db, raw: RecordRunInput): Promise<RecordRunResult> {
  const now = raw.now ?? new Date();
  const cleaned = storableEvaluations(raw.evaluations);
  const warnings = [...(raw.warnings ?? []).map(storableText), ...cleaned.warnings];
  const input = { ...raw, evaluations: cleaned.evaluations };
  return db.$transaction(async (tx) => {
    const q = new StatementCounter(tx);
    const tally = await recordInTransaction(q, input, now);
    const containers = input.evaluations.reduce((sum, e) => sum + e.containers.length, 0);
    q.rowsWritten += 1;
    const finished = { rowsWritten: q.rowsWritten, statements: q.statements + 1 };
    await q.counted(
      tx.collectionRun.updateMany({
        where: { id: input.runId },
        data: {
          status: input.complete ? "succeeded" : "partial",
          finishedAt: now,
          containers,
          findingsOpened: tally.opened,
          findingsResolved: tally.resolved,
          rowsWritten: finished.rowsWritten,
          ...(raw.warnings || warnings.length > 0 ? { warnings } : {}),
        },
      }),
    );
    return { ...finished, findingsOpened: tally.opened, findingsResolved: tally.resolved, warnings };
  }, TRANSACTION);
}
