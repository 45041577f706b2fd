import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import type { ObservedWorkload } from "@/lib/evaluate/judge-changes";
import { resultsHash, storedResults, workloadKey } from "./container-rows";
import { RunRecorder, type RecordRunResult } from "./run-recorder";

export type { RecordRunResult } from "./run-recorder";

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

const BATCH_WORKLOADS = 1000;

function stateHashOf(e: WorkloadEvaluation): string {
  const state = [e.labels ?? {}, e.namespaceLabels ?? {}, e.replicas ?? e.containers.length, e.podSecurity ?? null];
  return createHash("sha256").update(JSON.stringify(state)).digest("hex");
}

/**
 * Stores results that were judged without facts at hand (tests, live updates): the same change-only writer as a
 * poll, with each container's hash taken over its results, so equal results are not rewritten.
 */
export async function recordRun(db: Db, input: RecordRunInput): Promise<RecordRunResult> {
  const recorder = new RunRecorder(db, { runId: input.runId, targetId: input.targetId, now: input.now ?? new Date() });
  for (let i = 0; i < input.evaluations.length; i += BATCH_WORKLOADS) {
    const part = input.evaluations.slice(i, i + BATCH_WORKLOADS);
    const stored = await recorder.lookup(part.map((e) => e.workload));
    const observed = part.map((e): ObservedWorkload => {
      const key = workloadKey(e.workload);
      const stateHash = stateHashOf(e);
      const workload: ObservedWorkload = {
        workload: e.workload,
        stateHash,
        containers: e.containers.map((c) => {
          const factsHash = resultsHash(key, c, storedResults(c));
          return stored.containerFacts(e.workload, c.name) === factsHash
            ? { name: c.name, factsHash }
            : { name: c.name, factsHash, evaluation: c };
        }),
      };
      if (stored.workloadState(e.workload) !== stateHash)
        workload.state = {
          labels: e.labels ?? {},
          namespaceLabels: e.namespaceLabels ?? {},
          replicas: e.replicas ?? e.containers.length,
          podSecurity: e.podSecurity ?? null,
        };
      return workload;
    });
    await recorder.write(observed, stored);
  }
  return recorder.finish({ complete: input.complete, ...(input.warnings ? { warnings: input.warnings } : {}) });
}
