import type { KubernetesFix } from "@/lib/checks/define-check";
import type { KubernetesContainerFacts, WorkloadRef } from "@/lib/domain/facts";
import type { Remediation } from "@/lib/domain/result";
import { toYaml } from "./yaml";

type Patch = Record<string, unknown>;

/** `{ a: { b: value } }` for the dotted path `a.b`. */
function nestAt(dottedPath: string, value: Patch): Patch {
  return dottedPath
    .split(".")
    .reverse()
    .reduce<Patch>((inner, segment) => ({ [segment]: inner }), value);
}

/** The pod (template) metadata sits beside its spec: `spec` → `metadata`, `spec.template.spec` → `spec.template.metadata`. */
export function podMetadataPath(specPath: string): string {
  const segments = specPath.split(".");
  segments[segments.length - 1] = "metadata";
  return segments.join(".");
}

function hasKeys(value: Record<string, unknown> | undefined): value is Record<string, unknown> {
  return value !== undefined && Object.keys(value).length > 0;
}

/** The strategic-merge patch of the owning object, or null when the fix needs no change to it. */
export function buildKubernetesPatch(facts: KubernetesContainerFacts, fix: KubernetesFix): Patch | null {
  const spec: Patch = { ...(fix.pod ?? {}) };
  if (hasKeys(fix.container)) {
    // The merge key first, so the entry reads as "the container named …".
    const fields = Object.entries(fix.container).filter(([key]) => key !== "name");
    spec[facts.list] = [{ name: facts.container.name, ...Object.fromEntries(fields) }];
  }
  const parts: Patch[] = [];
  if (Object.keys(spec).length > 0) parts.push(nestAt(facts.specPath, spec));
  if (hasKeys(fix.podMetadata)) parts.push(nestAt(podMetadataPath(facts.specPath), fix.podMetadata));
  if (parts.length === 0) return null;
  return parts.reduce((merged, part) => deepMerge(merged, part), {});
}

function isMap(value: unknown): value is Patch {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(a: Patch, b: Patch): Patch {
  const out: Patch = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isMap(existing) && isMap(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

/** Single-quote for a POSIX shell: the only character to escape inside single quotes is the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Names from files are not validated by an API server: quote any that is not a plain DNS-style word. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text) ? text : shellQuote(text);
}

function namespaceFlag(workload: WorkloadRef): string {
  return workload.namespace ? ` -n ${shellWord(workload.namespace)}` : "";
}

export function renderKubectlPatch(
  workload: WorkloadRef,
  patch: Patch,
  list?: KubernetesContainerFacts["list"],
): string {
  const { kind, name } = workload;
  // Ephemeral containers live behind their own subresource of the Pod.
  const subresource = list === "ephemeralContainers" ? " --subresource ephemeralcontainers" : "";
  return `kubectl patch ${kind.toLowerCase()} ${shellWord(name)}${namespaceFlag(workload)}${subresource} --type strategic -p ${shellQuote(JSON.stringify(patch))}`;
}

function renderKubectlApply(facts: KubernetesContainerFacts, manifestYaml: string): string {
  return `kubectl apply${namespaceFlag(facts.workload)} -f - <<'EOF'\n${manifestYaml}EOF`;
}

// The API server rejects most changes to a running Pod's spec: say so rather than promise a live patch.
export const BARE_POD_NOTE = " (a bare Pod's spec is mostly immutable: change its manifest and recreate it)";

export function renderKubernetesRemediation(
  facts: KubernetesContainerFacts,
  fix: KubernetesFix,
  summary: string,
): Remediation {
  const patch = buildKubernetesPatch(facts, fix);
  const manifest = fix.manifest ? toYaml(fix.manifest) : undefined;
  const touchesPodSpec = facts.workload.kind === "Pod" && (fix.container !== undefined || fix.pod !== undefined);
  const withNote = fix.note ? `${summary} ${fix.note}` : summary;
  const remediation: Remediation = { summary: touchesPodSpec ? `${withNote}${BARE_POD_NOTE}` : withNote };
  if (patch) {
    remediation.kubernetesPatch = toYaml(patch);
    remediation.kubectl = renderKubectlPatch(facts.workload, patch, facts.list);
  } else if (manifest) {
    remediation.kubectl = renderKubectlApply(facts, manifest);
  }
  if (manifest) remediation.kubernetesManifest = manifest;
  return remediation;
}
