import { decryptCredentials } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import type { Platform } from "@/lib/domain/facts";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { listActiveExceptionRules } from "@/lib/services/exceptions";
import { describeRunError, failRun, recordRun, startRun, type RecordRunResult } from "@/lib/services/runs";
import { collectTarget } from "./collect-target";
import type { TargetConnection, TargetCredentials, TargetSettings } from "./types";

export interface RunCollectionOptions {
  db: Db;
  targetId: string;
  signal?: AbortSignal;
  /** Defaults to two minutes. */
  timeoutMs?: number;
}

export interface RunCollectionResult {
  runId: string;
  status: "succeeded" | "partial" | "failed";
  containers: number;
  warnings: string[];
  /** What was judged, for callers that print it (`rampart collect --target`). */
  evaluations: WorkloadEvaluation[];
  /** Rows and statements the store wrote, when the run was recorded. */
  stored?: RecordRunResult;
  error?: string;
}

async function loadConnection(db: Db, targetId: string): Promise<TargetConnection> {
  const target = await db.target.findUnique({ where: { id: targetId } });
  if (!target) throw new Error(`target ${targetId} does not exist`);
  const credentials = target.credentials ? decryptCredentials<TargetCredentials>(target.credentials) : {};
  const settings = (target.settings ?? {}) as TargetSettings;
  return { name: target.name, platform: target.platform as Platform, url: target.url, settings, credentials };
}

/** One poll of one stored target: evaluate, store; any error fails the run and marks nothing gone. */
export async function runCollection(options: RunCollectionOptions): Promise<RunCollectionResult> {
  const { db, targetId } = options;
  const now = new Date();
  const { runId } = await startRun(db, { targetId });
  try {
    const target = await loadConnection(db, targetId);
    const exceptions = await listActiveExceptionRules(db, now);
    const { evaluations, report } = await collectTarget(target, {
      exceptions,
      now,
      targetId,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    const stored = await recordRun(db, {
      runId,
      targetId,
      evaluations,
      complete: report.complete,
      warnings: report.warnings,
    });
    const containers = evaluations.reduce((n, evaluation) => n + evaluation.containers.length, 0);
    const status = report.complete ? "succeeded" : "partial";
    return { runId, status, containers, warnings: stored.warnings, evaluations, stored };
  } catch (error) {
    const message = describeRunError(error, { runId, targetId });
    await failRun(db, { runId, error: message });
    return { runId, status: "failed", containers: 0, warnings: [], evaluations: [], error: message };
  }
}
