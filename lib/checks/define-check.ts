import type { DockerContainerFacts, KubernetesContainerFacts } from "@/lib/domain/facts";
import type { CheckOutcome } from "@/lib/domain/result";
import type { Severity } from "@/lib/domain/severity";

export interface CheckReferences {
  cisDocker?: string[];
  podSecurity?: string[];
  polaris?: string[];
  kubescape?: string[];
}

/**
 * The fix for one failing result, as data. Renderers in lib/remediation turn it into
 * a strategic-merge patch + kubectl command, docker run flags, Compose keys and Dockerfile lines.
 */
export interface KubernetesFix {
  /** Merged into the container (by name) in the owner's pod spec. `null` deletes a field. */
  container?: Record<string, unknown>;
  /** Merged into the pod spec. */
  pod?: Record<string, unknown>;
  /** Merged into the pod (template) metadata, e.g. annotations. */
  podMetadata?: Record<string, unknown>;
  /** A separate object to create, e.g. a NetworkPolicy. */
  manifest?: Record<string, unknown>;
}

export interface DockerFix {
  add?: string[];
  remove?: string[];
  compose?: Record<string, unknown>;
  dockerfile?: string[];
}

export interface CheckRemediation {
  summary: string;
  kubernetes?: (facts: KubernetesContainerFacts) => KubernetesFix;
  docker?: (facts: DockerContainerFacts) => DockerFix;
}

/** Example facts for the shared test: a secure baseline with one change applied. */
export interface CheckExamples {
  kubernetes?: { pass: KubernetesContainerFacts[]; fail: KubernetesContainerFacts[] };
  docker?: { pass: DockerContainerFacts[]; fail: DockerContainerFacts[] };
}

export interface CheckDefinition {
  id: string;
  title: string;
  severity: Severity;
  category:
    "identity" | "filesystem" | "privileges" | "isolation" | "supply-chain" | "secrets" | "network" | "resources";
  /** Is it in the seed table of CHECKS.md? */
  seed: boolean;
  rationale: string;
  threat: string;
  references: CheckReferences;
  /** How it is judged, one sentence per platform, for the catalog page. */
  judged: { kubernetes: string; docker: string };
  kubernetes: (facts: KubernetesContainerFacts) => CheckOutcome;
  docker: (facts: DockerContainerFacts) => CheckOutcome;
  remediation: CheckRemediation;
  examples: CheckExamples;
}

export function defineCheck(definition: CheckDefinition): CheckDefinition {
  return definition;
}

export function pass(message: string, options: { fieldPath?: string; detail?: string } = {}): CheckOutcome {
  return { status: "pass", message, ...options };
}

export function fail(message: string, options: { fieldPath: string; detail?: string }): CheckOutcome {
  return { status: "fail", message, ...options };
}

export function notApplicable(message: string): CheckOutcome {
  return { status: "not-applicable", message };
}

export function notEvaluated(message: string): CheckOutcome {
  return { status: "not-evaluated", message };
}
