import type { WorkloadInput, WorkloadRef } from "@/lib/domain/facts";
import type { ContainerEvaluation, PodSecurityResult, WorkloadEvaluation } from "@/lib/domain/result";
import { runSpecOf, type RunSpec } from "@/lib/remediation/docker-run";
import { containerFactsHash, workloadStateHash, type VerdictInputs } from "./facts-hash";
import { evaluateWorkload, type EvaluateOptions } from "./index";

/** What the store holds for a target, asked before anything is evaluated. */
export interface StoredHashes {
  workloadState(ref: WorkloadRef): string | undefined;
  containerFacts(ref: WorkloadRef, container: string): string | undefined;
}

export interface WorkloadState {
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  replicas: number;
  podSecurity: PodSecurityResult | null;
}

export interface ObservedContainer {
  name: string;
  factsHash: string;
  /** Of the listing it was read from; absent when it was not read again (kept) or not read from a list. */
  listedVersion?: string;
  /** Present only when the hash differs from the stored one: the container was judged again. */
  evaluation?: ContainerEvaluation;
  /** Docker, with an evaluation: what its whole hardened command is rebuilt from on the dashboard. */
  runSpec?: RunSpec;
}

/** One collected workload as the store needs it: hashes for all, results only for what changed. */
export interface ObservedWorkload {
  workload: WorkloadRef;
  stateHash: string;
  /** Present only when the workload is new or its state hash changed. */
  state?: WorkloadState;
  containers: ObservedContainer[];
}

export interface JudgeOptions extends Omit<EvaluateOptions, "exceptions" | "now"> {
  verdict: VerdictInputs;
  /** Evaluate unchanged containers too and return them (a caller that prints every result). */
  judgeAll?: boolean;
}

/**
 * Hashes every container's facts and judges only those whose hash changed (or all with `judgeAll`). Pure: the
 * stored hashes come in as a lookup.
 */
export function judgeChanges(
  input: WorkloadInput,
  stored: StoredHashes,
  options: JudgeOptions,
): { observed: ObservedWorkload; evaluation?: WorkloadEvaluation } {
  const ref = input.workload;
  if (input.keptContainers) return { observed: keptWorkload(input, stored) };
  const hashes = input.containers.map((facts) => containerFactsHash(facts, input, options.verdict));
  const changed = new Set(
    input.containers.filter((facts, i) => stored.containerFacts(ref, facts.name) !== hashes[i]).map((f) => f.name),
  );
  const stateHash = workloadStateHash(input);
  const stateChanged = stored.workloadState(ref) !== stateHash;
  const toJudge = options.judgeAll ? input.containers : input.containers.filter((f) => changed.has(f.name));
  let evaluation: WorkloadEvaluation | undefined;
  if (toJudge.length > 0 || stateChanged) {
    const { verdict, judgeAll: _judgeAll, ...evaluate } = options;
    evaluation = evaluateWorkload(
      { ...input, containers: toJudge },
      { ...evaluate, exceptions: verdict.exceptions, now: verdict.now, targetId: verdict.targetId },
    );
  }
  const judged = new Map((evaluation?.containers ?? []).map((c) => [c.name, c]));
  const observed: ObservedWorkload = {
    workload: ref,
    stateHash,
    containers: input.containers.map((facts, i) => {
      const container: ObservedContainer = { name: facts.name, factsHash: hashes[i] ?? "" };
      if (facts.listedVersion !== undefined) container.listedVersion = facts.listedVersion;
      const result = changed.has(facts.name) ? judged.get(facts.name) : undefined;
      if (result) container.evaluation = result;
      if (result && facts.platform === "docker") container.runSpec = runSpecOf(facts);
      return container;
    }),
  };
  if (stateChanged) {
    const first = input.containers[0];
    const replicas = first?.platform === "kubernetes" ? first.replicas : undefined;
    observed.state = {
      labels: input.labels,
      namespaceLabels: input.namespaceLabels ?? {},
      replicas: replicas ?? input.containers.length,
      podSecurity: evaluation?.podSecurity ?? null,
    };
  }
  return evaluation ? { observed, evaluation } : { observed };
}

/** A workload the collector did not read again: its stored hashes stand, nothing is judged or written. */
function keptWorkload(input: WorkloadInput, stored: StoredHashes): ObservedWorkload {
  const ref = input.workload;
  return {
    workload: ref,
    stateHash: stored.workloadState(ref) ?? "",
    containers: (input.keptContainers ?? []).map((name) => ({
      name,
      factsHash: stored.containerFacts(ref, name) ?? "",
    })),
  };
}
