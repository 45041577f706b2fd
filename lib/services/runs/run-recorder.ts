import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { WorkloadInput, WorkloadRef } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import {
  judgeChanges,
  type JudgeOptions,
  type ObservedContainer,
  type ObservedWorkload,
  type StoredHashes,
} from "@/lib/evaluate/judge-changes";
import { inTransaction, StatementCounter } from "../statement-counter";
import { containerResultSet, storedResults, workloadKey, type ResultSetRow, type StoredResult } from "./container-rows";
import { planFindingChange, type ExistingFinding } from "./finding-transitions";
import * as sql from "./record-statements";
import { storableText, toStorable } from "./storable-text";

/** A judged container's results, and their passes and checks not judged as one shared row. */
interface Judged {
  results: StoredResult[];
  resultSet: ResultSetRow;
}

export interface RecordRunResult {
  rowsWritten: number;
  /** SQL statements issued (BEGIN/COMMIT not counted). */
  statements: number;
  findingsOpened: number;
  findingsResolved: number;
  /** The warnings kept on the run: the collector's, and one per workload whose text had to be cleaned. */
  warnings: string[];
}

const TRANSACTION = { maxWait: 60_000, timeout: 300_000 };

/** The stored side of one batch: hashes to compare and the ids of what is already there. */
export class StoredBatch implements StoredHashes {
  private readonly workloads = new Map<string, { id: string; stateHash: string }>();
  private readonly containers = new Map<string, { id: string; factsHash: string; listedVersion: string | null }>();

  constructor(rows: sql.StoredRow[]) {
    for (const row of rows) {
      const key = workloadKey(row);
      this.workloads.set(key, { id: row.workloadId, stateHash: row.stateHash });
      if (row.containerId && row.containerName !== null && row.factsHash !== null)
        this.containers.set(JSON.stringify([key, row.containerName]), {
          id: row.containerId,
          factsHash: row.factsHash,
          listedVersion: row.listedVersion,
        });
    }
  }

  private static key(ref: Pick<WorkloadRef, "namespace" | "kind" | "name">): string {
    return workloadKey({
      namespace: storableText(ref.namespace),
      kind: storableText(ref.kind),
      name: storableText(ref.name),
    });
  }

  workloadState(ref: WorkloadRef): string | undefined {
    return this.workloads.get(StoredBatch.key(ref))?.stateHash;
  }

  containerFacts(ref: WorkloadRef, container: string): string | undefined {
    return this.containers.get(JSON.stringify([StoredBatch.key(ref), storableText(container)]))?.factsHash;
  }

  containerListedVersion(ref: WorkloadRef, container: string): string | null | undefined {
    return this.containers.get(JSON.stringify([StoredBatch.key(ref), storableText(container)]))?.listedVersion;
  }

  workloadId(ref: Pick<WorkloadRef, "namespace" | "kind" | "name">): string | undefined {
    return this.workloads.get(StoredBatch.key(ref))?.id;
  }

  containerId(ref: Pick<WorkloadRef, "namespace" | "kind" | "name">, container: string): string | undefined {
    return this.containers.get(JSON.stringify([StoredBatch.key(ref), storableText(container)]))?.id;
  }
}

interface Tally {
  opened: number;
  resolved: number;
}

/**
 * Records one run batch by batch, so a worker holds one batch of a target at a time: unchanged workloads and
 * containers cost nothing but their id in the seen lists; only the finish marks gone (complete runs only),
 * writes the rollups that changed and closes the run row.
 */
export class RunRecorder {
  private readonly seenContainers: string[] = [];
  private readonly seenWorkloads: string[] = [];
  private readonly tally: Tally = { opened: 0, resolved: 0 };
  private readonly cleanedWarnings: string[] = [];
  private rowsWritten = 0;
  private statements = 0;
  private containers = 0;
  private changed = false;
  private readonly nowText: string;
  /** The whole stored target, read with its listed versions when small: serves the first batch's lookup. */
  private held: StoredBatch | undefined;

  constructor(
    private readonly db: Db,
    private readonly input: { runId: string; targetId: string; now: Date },
  ) {
    this.nowText = input.now.toISOString();
  }

  /** The stored hashes and ids of these workloads and their containers, in one statement. */
  async lookup(refs: readonly Pick<WorkloadRef, "namespace" | "kind" | "name">[]): Promise<StoredBatch> {
    // Read before anything of this run was written: right for the first batch only.
    const held = this.held;
    this.held = undefined;
    if (held) return held;
    const q = StatementCounter.for(this.db);
    const keys = refs.map((r) => ({
      namespace: storableText(r.namespace),
      kind: storableText(r.kind),
      name: storableText(r.name),
    }));
    const rows = await sql.listStoredHashes(q, this.input.targetId, keys);
    this.statements += q.statements;
    return new StoredBatch(rows);
  }

  private clean(batch: readonly ObservedWorkload[]): ObservedWorkload[] {
    return batch.map((observed) => {
      const { value, changed } = toStorable(observed);
      if (changed) {
        const { kind, namespace, name } = value.workload;
        this.cleanedWarnings.push(
          `${kind} ${namespace ? `${namespace}/` : ""}${name}: collected text held NUL or unpaired surrogate characters, ` +
            "which cannot be stored; they were replaced with U+FFFD",
        );
      }
      return value;
    });
  }

  /**
   * One collected batch: reads its stored hashes, judges only what changed (everything with `judgeAll`) and writes
   * what changed. Returns the evaluations only with `judgeAll`.
   */
  async judgeAndWrite(
    batch: readonly WorkloadInput[],
    options: JudgeOptions,
  ): Promise<{ containers: number; judged: number; evaluations: WorkloadEvaluation[] }> {
    const stored = await this.lookup(batch.map((input) => input.workload));
    const evaluations: WorkloadEvaluation[] = [];
    let containers = 0;
    let judged = 0;
    const observed = batch.map((input) => {
      const { observed, evaluation } = judgeChanges(input, stored, options);
      if (options.judgeAll && evaluation) evaluations.push(evaluation);
      containers += observed.containers.length;
      judged += observed.containers.filter((c) => c.evaluation).length;
      return observed;
    });
    await this.write(observed, stored);
    return { containers, judged, evaluations };
  }

  /** Writes what changed in one batch, in one transaction. */
  async write(raw: readonly ObservedWorkload[], stored: StoredBatch): Promise<void> {
    const batch = this.clean(raw);
    this.containers += batch.reduce((n, w) => n + w.containers.length, 0);
    const relisted = batch.flatMap((w) =>
      w.containers.flatMap((c) => {
        const id = stored.containerId(w.workload, c.name);
        if (c.evaluation || c.listedVersion === undefined || !id) return [];
        const changed = stored.containerListedVersion(w.workload, c.name) !== c.listedVersion;
        return changed ? [{ id, listedVersion: c.listedVersion }] : [];
      }),
    );
    const needsWrite = relisted.length > 0 || batch.some((w) => w.state || w.containers.some((c) => c.evaluation));
    if (!needsWrite) {
      for (const w of batch) this.markSeen(w, stored, new Map());
      return;
    }
    const judged = new Map<ObservedContainer, Judged>();
    for (const w of batch)
      for (const c of w.containers) {
        if (!c.evaluation) continue;
        const results = storedResults(c.evaluation);
        judged.set(c, { results, resultSet: containerResultSet(results) });
      }
    const shared = StatementCounter.for(this.db);
    await sql.storeFixes(
      shared,
      [...judged.values()].flatMap(({ results }) =>
        results.flatMap((r) => (r.status === "fail" && r.remediation ? [r.remediation] : [])),
      ),
    );
    await sql.storeResultSets(
      shared,
      [...judged.values()].map((j) => j.resultSet),
    );
    this.rowsWritten += shared.rowsWritten;
    this.statements += shared.statements;
    await inTransaction(this.db, TRANSACTION, async (q) => {
      await sql.updateListedVersions(q, relisted);
      await this.writeInTransaction(q, batch, stored, judged);
      this.rowsWritten += q.rowsWritten;
      this.statements += q.statements;
    });
    this.changed = true;
  }

  private markSeen(w: ObservedWorkload, stored: StoredBatch, savedWorkloads: Map<string, string>): string {
    const id = savedWorkloads.get(workloadKey(w.workload)) ?? stored.workloadId(w.workload);
    if (!id) throw new Error(`Workload ${workloadKey(w.workload)} was not saved`);
    this.seenWorkloads.push(id);
    for (const c of w.containers) {
      if (c.evaluation) continue;
      const containerId = stored.containerId(w.workload, c.name);
      if (containerId) this.seenContainers.push(containerId);
    }
    return id;
  }

  private async writeInTransaction(
    q: StatementCounter,
    batch: ObservedWorkload[],
    stored: StoredBatch,
    judged: Map<ObservedContainer, Judged>,
  ) {
    const workloadWrites = batch.flatMap((w) =>
      w.state ? [{ ...w.workload, stateHash: w.stateHash, ...w.state }] : [],
    );
    const savedWorkloads = new Map(
      (await sql.upsertWorkloads(q, this.input.targetId, workloadWrites, this.nowText)).map((w) => [
        workloadKey(w),
        w.id,
      ]),
    );
    const writes: (sql.ContainerWrite & { key: string; results: StoredResult[] })[] = [];
    for (const w of batch) {
      const workloadId = this.markSeen(w, stored, savedWorkloads);
      const key = workloadKey(w.workload);
      for (const c of w.containers) {
        const e = c.evaluation;
        const j = judged.get(c);
        if (!e || !j) continue;
        const { results } = j;
        writes.push({
          key,
          workloadId,
          name: c.name,
          image: e.image,
          digest: e.imageDigest ?? null,
          digests: e.imageDigests ?? (e.imageDigest ? [e.imageDigest] : []),
          factsHash: c.factsHash,
          listedVersion: c.listedVersion ?? null,
          resultSetId: j.resultSet.id,
          results,
          score: e.score,
          runSpec: c.runSpec ?? null,
        });
      }
    }
    const saved = await sql.upsertContainers(
      q,
      writes.map(({ key: _key, results: _results, ...row }) => row),
      this.nowText,
    );
    const ids = new Map(saved.map((c) => [`${c.workloadId}/${c.name}`, c.id]));
    const placed = writes.map((row) => {
      const containerId = ids.get(`${row.workloadId}/${row.name}`);
      if (!containerId) throw new Error(`Container ${row.name} of ${row.key} was not saved`);
      this.seenContainers.push(containerId);
      return { ...row, containerId };
    });
    await this.applyFindingChanges(q, placed);
  }

  private async applyFindingChanges(
    q: StatementCounter,
    rows: { key: string; name: string; containerId: string; results: StoredResult[] }[],
  ): Promise<void> {
    const { runId } = this.input;
    const existing = await sql.listFindings(
      q,
      rows.map((r) => r.containerId),
    );
    const byKey = new Map<string, ExistingFinding>(existing.map((f) => [`${f.containerId}/${f.checkId}`, f]));
    const creates: sql.NewFinding[] = [];
    const updates: sql.FindingUpdate[] = [];
    const events: sql.NewEvent[] = [];
    for (const row of rows) {
      for (const result of row.results) {
        const change = planFindingChange(result, byKey.get(`${row.containerId}/${result.id}`));
        if (!change) continue;
        const id = change.type === "create" ? randomUUID() : change.id;
        if (change.type === "create") {
          creates.push({ id, containerId: row.containerId, checkId: result.id, ...change.state });
          if (change.state.status === "open") this.tally.opened += 1;
        } else updates.push({ id, ...change.state });
        if (change.event) events.push({ findingId: id, kind: change.event });
        if (change.event === "reopened") this.tally.opened += 1;
        if (change.event === "resolved") this.tally.resolved += 1;
      }
    }
    await sql.insertFindings(q, creates, this.nowText);
    await sql.updateFindings(q, updates, this.nowText);
    await sql.insertEvents(q, runId, events, this.nowText);
  }

  /**
   * Listed versions of the target's current containers, for a collector that may leave those unread. A target of at
   * most `holdRows` stored rows (one batch) is read whole in the same statement and answers the first batch's
   * lookup, so a small target's rows are read once a run; a bigger one's listed versions take a second statement.
   */
  async listedVersions(holdRows = 0): Promise<Set<string>> {
    const q = StatementCounter.for(this.db);
    const { targetId } = this.input;
    const rows = holdRows > 0 ? await sql.listTargetStoredRows(q, targetId, holdRows + 1) : [];
    let versions: (string | null)[];
    if (holdRows > 0 && rows.length <= holdRows) {
      this.held = new StoredBatch(rows);
      versions = rows.map((r) => r.listedVersion);
    } else versions = await sql.listListedVersions(q, targetId);
    this.statements += q.statements;
    return new Set(versions.filter((v) => v !== null));
  }

  /**
   * Marks gone (complete runs only), writes changed rollups and closes the run, in one transaction; a complete run
   * that read every container stores its inspect epoch on the target.
   */
  async finish(input: { complete: boolean; warnings?: string[]; inspectedEpoch?: string }): Promise<RecordRunResult> {
    const { runId, targetId, now } = this.input;
    const warnings = [...(input.warnings ?? []).map(storableText), ...this.cleanedWarnings];
    return inTransaction(this.db, TRANSACTION, async (q) => {
      let changed = this.changed;
      if (input.complete) {
        const gone = await sql.markGone(q, {
          targetId,
          runId,
          seenContainerIds: this.seenContainers,
          seenWorkloadIds: this.seenWorkloads,
          now: this.nowText,
        });
        this.tally.resolved += gone.removed;
        if (gone.gone > 0) changed = true;
        if (input.inspectedEpoch) await sql.setInspectedEpoch(q, targetId, input.inspectedEpoch);
      }
      if (changed || !(await sql.previousRunSettled(q, targetId, runId)))
        await sql.writeChangedRollups(q, { targetId, runId, now: this.nowText });
      const rowsWritten = this.rowsWritten + q.rowsWritten + 1;
      await sql.closeRun(q, {
        runId,
        status: input.complete ? "succeeded" : "partial",
        finishedAt: now.toISOString(),
        containers: this.containers,
        findingsOpened: this.tally.opened,
        findingsResolved: this.tally.resolved,
        rowsWritten,
        warnings: input.warnings || warnings.length > 0 ? warnings : undefined,
      });
      return {
        rowsWritten,
        statements: this.statements + q.statements,
        findingsOpened: this.tally.opened,
        findingsResolved: this.tally.resolved,
        warnings,
      };
    });
  }
}
