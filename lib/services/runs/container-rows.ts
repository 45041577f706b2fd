import { createHash } from "node:crypto";
import type { CheckResult, PodSecurityResult, Remediation, WorkloadEvaluation } from "@/lib/domain/result";
import type { Status } from "@/lib/domain/severity";

/** One check result as stored in `Container.results`: evidence without facts, so no secret derivative. */
export interface StoredResult {
  id: string;
  status: Status;
  severity: string;
  message: string;
  fieldPath: string;
  excepted: boolean;
  exceptionId: string | null;
  /** The rendered fix of a failing result (patches, flags, file lines): built from facts, never a secret value. */
  remediation?: Remediation;
}

export interface WorkloadRow {
  namespace: string;
  kind: string;
  name: string;
  podSecurity: PodSecurityResult | null;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  replicas: number;
}

export interface ContainerRow {
  workloadKey: string;
  namespace: string;
  name: string;
  image: string;
  digest: string | null;
  score: number | null;
  results: StoredResult[];
  factsHash: string;
}

export function workloadKey(w: { namespace: string; kind: string; name: string }): string {
  return JSON.stringify([w.namespace, w.kind, w.name]);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Stable across runs and workers: target + workload + container + check. */
export function findingFingerprint(targetId: string, workload: string, container: string, checkId: string): string {
  return sha256(JSON.stringify([targetId, workload, container, checkId]));
}

function storedResult(check: CheckResult): StoredResult {
  const stored: StoredResult = {
    id: check.checkId,
    status: check.status,
    severity: check.severity,
    message: check.message,
    fieldPath: check.fieldPath ?? "",
    excepted: check.excepted !== undefined,
    exceptionId: check.excepted?.exceptionId ?? null,
  };
  if (check.status === "fail" && check.remediation) stored.remediation = check.remediation;
  return stored;
}

/** Hash of identity, image and results, keys in a fixed order so equal inputs hash equal. */
function factsHashOf(key: string, row: Omit<ContainerRow, "factsHash" | "workloadKey" | "namespace">): string {
  const results = row.results.map((r) => [
    r.id,
    r.status,
    r.severity,
    r.message,
    r.fieldPath,
    r.excepted,
    r.exceptionId,
    r.remediation ?? null,
  ]);
  return sha256(JSON.stringify([key, row.name, row.image, row.digest, row.score, results]));
}

export function toRows(evaluations: readonly WorkloadEvaluation[]): {
  workloads: WorkloadRow[];
  containers: ContainerRow[];
} {
  const workloads = new Map<string, WorkloadRow>();
  const containers = new Map<string, ContainerRow>();
  for (const evaluation of evaluations) {
    const { namespace, kind, name } = evaluation.workload;
    const key = workloadKey({ namespace, kind, name });
    workloads.set(key, {
      namespace,
      kind,
      name,
      podSecurity: evaluation.podSecurity ?? null,
      labels: evaluation.labels ?? {},
      namespaceLabels: evaluation.namespaceLabels ?? {},
      replicas: evaluation.replicas ?? evaluation.containers.length,
    });
    for (const c of evaluation.containers) {
      const results = [...c.checks].sort((a, b) => a.checkId.localeCompare(b.checkId)).map(storedResult);
      const base = { name: c.name, image: c.image, digest: c.imageDigest ?? null, score: c.score, results };
      containers.set(JSON.stringify([key, c.name]), {
        ...base,
        workloadKey: key,
        namespace,
        factsHash: factsHashOf(key, base),
      });
    }
  }
  return { workloads: [...workloads.values()], containers: [...containers.values()] };
}
