import { decryptCredentials } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import type { Platform } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { inspectEpoch } from "@/lib/evaluate/facts-hash";
import { flushHistograms, observeSince } from "@/lib/metrics/collector-histograms";
import { listActiveExceptionRules } from "@/lib/services/exceptions";
import { ingestReports, loadReportContext, loadReportIndex } from "@/lib/services/reports";
import { analyzeGrownTables } from "@/lib/services/maintenance";
import { notifyAfterRun } from "@/lib/services/notifications";
import { describeRunError, failRun, RunRecorder, startRun, type RecordRunResult } from "@/lib/services/runs";
import type { ImageInspector } from "@/lib/registry/inspect-workloads";
import { openImageInspectorOnDemand } from "./image-inspection";
import { BATCH_CONTAINERS, listReportPages, listWorkloadBatches } from "./collect-target";
import type { CollectionReport, KnownListing, TargetConnection, TargetCredentials, TargetSettings } from "./types";

export interface RunCollectionOptions {
  db: Db;
  targetId: string;
  signal?: AbortSignal;
  /** Defaults to two minutes. */
  timeoutMs?: number;
  /**
   * Judge every container and return the evaluations (`rampart collect --target` prints them). Otherwise only
   * containers whose facts hash changed are judged, and nothing is kept past its batch.
   */
  keepEvaluations?: boolean;
}

export interface RunCollectionResult {
  runId: string;
  status: "succeeded" | "partial" | "failed";
  containers: number;
  warnings: string[];
  /** What was judged: every container with `keepEvaluations`, else empty. */
  evaluations: WorkloadEvaluation[];
  /** Containers judged again because their facts hash changed (or they are new). */
  judged: number;
  /** Rows and statements the store wrote, when the run was recorded. */
  stored?: RecordRunResult;
  error?: string;
}

async function loadConnection(db: Db, targetId: string): Promise<TargetConnection & { inspectedEpoch: string | null }> {
  const target = await db.target.findUnique({ where: { id: targetId } });
  if (!target) throw new Error(`target ${targetId} does not exist`);
  const credentials = target.credentials ? decryptCredentials<TargetCredentials>(target.credentials) : {};
  const settings = (target.settings ?? {}) as TargetSettings;
  const { name, url, inspectedEpoch } = target;
  return { name, platform: target.platform as Platform, url, settings, credentials, inspectedEpoch };
}

/**
 * One poll of one stored target, streamed in batches: each batch's stored hashes are read first, only changed
 * containers are judged, and what changed is written; any error fails the run and marks nothing gone.
 */
export async function runCollection(options: RunCollectionOptions): Promise<RunCollectionResult> {
  const { db, targetId } = options;
  const now = new Date();
  const start = performance.now();
  const { runId } = await startRun(db, { targetId });
  let platform = "unknown";
  let inspector: ImageInspector | undefined;
  try {
    const target = await loadConnection(db, targetId);
    platform = target.platform;
    const report: CollectionReport = { warnings: [], complete: true };
    const bounds = {
      startedAt: Date.now(),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    };
    // The target's own reports first (an unchanged one is not written again), so this run matches them.
    for await (const page of listReportPages(target, report, bounds))
      await ingestReports(db, page, { via: "cluster", targetId, now });
    const exceptions = await listActiveExceptionRules(db, now);
    const reportContext = await loadReportContext(db, now);
    const recorder = new RunRecorder(db, { runId, targetId, now });
    const evaluations: WorkloadEvaluation[] = [];
    const judgeAll = options.keepEvaluations ?? false;
    let containers = 0;
    let judged = 0;
    // Printing every result needs every container read; otherwise unchanged listings may stay unread.
    const known: KnownListing | undefined = judgeAll
      ? undefined
      : {
          epoch: inspectEpoch({ exceptions, now, targetId, reports: reportContext.version }),
          inspectedEpoch: target.inspectedEpoch,
          listedVersions: await recorder.listedVersions(BATCH_CONTAINERS),
        };
    inspector = openImageInspectorOnDemand(db);
    const batches = listWorkloadBatches(target, report, { ...bounds, ...(known ? { known } : {}) });
    for await (const batch of batches) {
      await inspector.inspect(batch);
      const reports = await loadReportIndex(db, batch, reportContext);
      for (const input of batch) reports.attach(input, targetId);
      const done = await recorder.judgeAndWrite(batch, { verdict: { exceptions, now, targetId }, judgeAll });
      evaluations.push(...done.evaluations);
      containers += done.containers;
      judged += done.judged;
    }
    const stored = await recorder.finish({
      complete: report.complete,
      warnings: report.warnings,
      ...(report.inspectedEpoch ? { inspectedEpoch: report.inspectedEpoch } : {}),
    });
    // A first poll multiplies the tables' rows: the next runs' plans need statistics of the new size. A run that
    // wrote nothing but its own row grew nothing.
    if (stored.rowsWritten > 1) await analyzeGrownTables(db).catch(() => undefined);
    const status = report.complete ? "succeeded" : "partial";
    await notifyAfterRun(db, { runId, targetId, status, at: now, findingsOpened: stored.findingsOpened });
    return { runId, status, containers, judged, warnings: stored.warnings, evaluations, stored };
  } catch (error) {
    const message = describeRunError(error, { runId, targetId });
    await failRun(db, { runId, error: message });
    await notifyAfterRun(db, { runId, targetId, status: "failed", at: now, findingsOpened: 0, error: message });
    return { runId, status: "failed", containers: 0, judged: 0, warnings: [], evaluations: [], error: message };
  } finally {
    inspector?.close();
    observeSince("rampart_collector_run_duration_seconds", platform, start);
    // The web process serves these from the database; a failed write is retried after the next run.
    await flushHistograms(db).catch(() => undefined);
  }
}
