import type { Severity, Status } from "./severity";
import type { WorkloadRef } from "./facts";

/** What one check says about one container. */
export interface CheckOutcome {
  status: Status;
  /** One line naming the observed value. Never a secret value. */
  message: string;
  /** Exact field path of the evidence (`HostConfig.CapDrop`, `spec.containers[0].securityContext`). */
  fieldPath?: string;
  detail?: string;
}

export interface Remediation {
  /** Strategic-merge patch of the owning Kubernetes object, as YAML. */
  kubernetesPatch?: string;
  kubectl?: string;
  /** Extra manifest to apply (e.g. a NetworkPolicy), as YAML. */
  kubernetesManifest?: string;
  dockerRun?: { add: string[]; remove: string[] };
  compose?: string;
  dockerfile?: string[];
  /** One-line fix for people (tables, notifications). */
  summary: string;
}

/** A workload's combined fix: every failing check's fix that a patch (or a created object) can close, in one step. */
export interface WorkloadFix extends Remediation {
  /** `<container> <check id>` of each failing result it closes. */
  closes: string[];
  /** Bare Pod: its manifest with every fix applied, to delete and create again (its spec cannot be patched). */
  podManifest?: string;
  /** Docker: the whole hardened `docker run` command, rebuilt from the container's inspect. */
  dockerRunCommand?: string;
}

export interface Excepted {
  source: "annotation" | "exception";
  reason: string;
  exceptionId?: string;
}

export interface CheckResult extends CheckOutcome {
  checkId: string;
  severity: Severity;
  excepted?: Excepted;
  remediation?: Remediation;
}

export interface PodSecurityVerdict {
  allowed: boolean;
  violations: string[];
}

export interface PodSecurityResult {
  baseline: PodSecurityVerdict;
  restricted: PodSecurityVerdict;
}

export interface ContainerEvaluation {
  name: string;
  image: string;
  imageDigest?: string;
  /** Every digest seen for the running image (stored for report matching). */
  imageDigests?: string[];
  score: number | null;
  checks: CheckResult[];
}

export interface WorkloadEvaluation {
  workload: WorkloadRef;
  source: string;
  labels?: Record<string, string>;
  namespaceLabels?: Record<string, string>;
  /** Running pods of a Kubernetes workload, when a collector counted them. */
  replicas?: number;
  /** 1-based line of the object in its file, for SARIF. */
  line?: number;
  podSecurity?: PodSecurityResult;
  containers: ContainerEvaluation[];
  /** Combined fix of the failing, not excepted results; rendered on first read. */
  remediation?: WorkloadFix;
}
