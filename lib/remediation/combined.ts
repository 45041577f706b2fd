// The combined fix of a workload: every failing check's fix in one step. Built from the per-check fixes, so
// the same code serves a fresh evaluation and the fixes stored with findings.
import { parse } from "yaml";
import type { WorkloadRef } from "@/lib/domain/facts";
import type { Remediation, WorkloadFix } from "@/lib/domain/result";
import { BARE_POD_NOTE, renderKubectlPatch } from "./kubernetes";
import { applyStrategicMergePatch, mergeStrategicPatches } from "./strategic-merge";
import { toYaml } from "./yaml";

/** One failing, not excepted result's fix. */
export interface ContainerFix {
  container: string;
  checkId: string;
  remediation: Remediation;
}

type Json = Record<string, unknown>;

// Server-set fields a recreated Pod must not carry.
const SERVER_METADATA = ["uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "selfLink"];

function recreatable(pod: Json): Json {
  const { status: _status, ...rest } = pod;
  const metadata = { ...((rest.metadata as Json | undefined) ?? {}) };
  for (const key of SERVER_METADATA) delete metadata[key];
  return { ...rest, metadata };
}

function distinct(texts: (string | undefined)[]): string[] {
  return [...new Set(texts.filter((text): text is string => text !== undefined && text.length > 0))];
}

function countText(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The fixes' patches merged into one; `{}` when none is a patch. */
export function combinedPatch(fixes: readonly ContainerFix[]): Json {
  const texts = distinct(fixes.map((f) => f.remediation.kubernetesPatch));
  return mergeStrategicPatches(texts.map((text) => parse(text) as Json));
}

/** The objects the fixes create (NetworkPolicies), each once. */
export function createdObjects(fixes: readonly ContainerFix[]): string[] {
  return distinct(fixes.map((f) => f.remediation.kubernetesManifest));
}

/**
 * One strategic-merge patch (and `kubectl patch`) for all the Kubernetes fixes, the NetworkPolicies to create
 * as separate documents, and for a bare Pod, whose spec the API server will not change, the edited manifest
 * when the object is known. Undefined when no fix is a patch or a manifest.
 */
export function combineKubernetesFixes(
  workload: WorkloadRef,
  fixes: readonly ContainerFix[],
  object?: Json,
): WorkloadFix | undefined {
  const closing = fixes.filter((f) => f.remediation.kubernetesPatch || f.remediation.kubernetesManifest);
  if (closing.length === 0) return undefined;
  const patch = combinedPatch(closing);
  const manifests = createdObjects(closing);
  const containers = new Set(closing.map((f) => f.container)).size;
  const fix: WorkloadFix = {
    summary: `One change for ${countText(closing.length, "failing check")} on ${countText(containers, "container")}.`,
    closes: closing.map((f) => `${f.container} ${f.checkId}`),
  };
  const hasPatch = Object.keys(patch).length > 0;
  if (hasPatch) fix.kubernetesPatch = toYaml(patch);
  if (manifests.length > 0) fix.kubernetesManifest = manifests.join("---\n");
  if (workload.kind === "Pod") {
    fix.summary += BARE_POD_NOTE;
    if (hasPatch && object) fix.podManifest = toYaml(recreatable(applyStrategicMergePatch(object, patch)));
  } else if (hasPatch) {
    fix.kubectl = renderKubectlPatch(workload, patch);
  }
  return fix;
}
