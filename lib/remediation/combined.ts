// The combined fix of a workload: every failing check's fix in one step. Built from the per-check fixes, so
// the same code serves a fresh evaluation and the fixes stored with findings.
import { parse } from "yaml";
import { hasDigest } from "@/lib/checks/support/images";
import type { WorkloadRef } from "@/lib/domain/facts";
import { hardenRun, renderComposeService, renderDockerRun, SECRET_ARGUMENT, type RunSpec } from "./docker-run";
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

/**
 * A fix the command closes: it removes a flag, or adds one that is more than a variable (a variable alone,
 * such as the `_FILE` twin of a secret baked into the image, changes nothing judged: the image must be
 * rebuilt), or it pins the image and the command runs it by digest.
 */
function closesByRun(fix: Remediation, pinned: boolean): boolean {
  const flags = fix.dockerRun;
  if (flags && (flags.remove.length > 0 || flags.add.some((flag) => !flag.startsWith("--env=")))) return true;
  return pinned && /^\s+image: /m.test(fix.compose ?? "");
}

/** A container's name and the secret-free spec its command is rebuilt from (`runSpecOf`). */
export interface ContainerRun {
  container: string;
  spec: RunSpec;
}

/**
 * Every fix of the containers' `docker run` flags, or their image by digest, applied to each whole command. The
 * CLI passes specs rebuilt from the inspect it holds, the dashboard the specs kept with the containers.
 */
export function combineDockerFixes(
  containers: readonly ContainerRun[],
  fixes: readonly ContainerFix[],
): WorkloadFix | undefined {
  // By check id: the same command whatever order the fixes come in (evaluated, or read back from findings).
  const ordered = [...fixes].sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
  const runs = containers.map(({ container, spec }) => {
    const own = ordered.filter((f) => f.container === container);
    const run = hardenRun(
      spec,
      own.flatMap((f) => (f.remediation.dockerRun ? [f.remediation.dockerRun] : [])),
    );
    const pinned = hasDigest(run.image);
    const closing = own.filter((f) => closesByRun(f.remediation, pinned));
    return { spec, run, closing };
  });
  const closing = runs.flatMap((r) => r.closing);
  const [first] = runs;
  if (!first || closing.length === 0) return undefined;
  const hidden = runs.some((r) => r.run.command.some((word) => word.includes(SECRET_ARGUMENT)));
  return {
    summary:
      `Recreate ${countText(runs.length, "container")} with this command to close ${countText(closing.length, "failing check")}; secrets come from files under ./secrets, other variables from your shell by name.` +
      (hidden ? ` Arguments that look like secrets show as ${SECRET_ARGUMENT}: pass them from a secret store.` : ""),
    closes: closing.map((f) => `${f.container} ${f.checkId}`),
    dockerRunCommand: runs.map((r) => renderDockerRun(r.run)).join("\n\n"),
    compose: renderComposeService(first.spec.service, first.run),
  };
}
