// A small strategic-merge applier so check tests can prove a KubernetesFix closes its finding.
// Lists merge by their Kubernetes merge key where the fixes use one; other lists are replaced.
import type { KubernetesFix } from "@/lib/checks/define-check";
import type { KubernetesContainerFacts } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";

const MERGE_KEYS: Record<string, string> = { env: "name", volumeMounts: "mountPath", volumes: "name", ports: "containerPort", containers: "name" };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function mergeList(base: unknown[], patch: unknown[], key: string): unknown[] {
  const out = [...base];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const at = out.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (at >= 0) out[at] = strategicMerge(out[at] as Json, item);
    else out.push(strategicMerge({}, item));
  }
  return out;
}

export function strategicMerge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [field, value] of Object.entries(patch)) {
    const existing = out[field];
    const key = MERGE_KEYS[field];
    if (value === null) delete out[field];
    else if (key && Array.isArray(value) && Array.isArray(existing)) out[field] = mergeList(existing, value, key);
    else if (isObject(value)) out[field] = strategicMerge(isObject(existing) ? existing : {}, value);
    else out[field] = value;
  }
  return out;
}

/** The facts as they would be after applying the fix and re-reading the object. */
export function applyKubernetesFix(facts: KubernetesContainerFacts, fix: KubernetesFix): KubernetesContainerFacts {
  const copy = structuredClone(facts);
  const container = strategicMerge(copy.container as unknown as Json, fix.container ?? {}) as unknown as KubernetesContainerFacts["container"];
  const spec = strategicMerge(copy.pod.spec as unknown as Json, fix.pod ?? {}) as unknown as KubernetesContainerFacts["pod"]["spec"];
  const metadata = strategicMerge(copy.pod.metadata as unknown as Json, fix.podMetadata ?? {});
  const list = [...(spec[copy.list] ?? [])];
  list[copy.index] = container;
  spec[copy.list] = list;
  const manifest = fix.manifest as unknown as NetworkPolicy & { kind?: string };
  const networkPolicies =
    manifest?.kind === "NetworkPolicy" && "value" in copy.networkPolicies ? { value: [...copy.networkPolicies.value, manifest] } : copy.networkPolicies;
  return { ...copy, container, image: container.image ?? copy.image, pod: { metadata, spec }, networkPolicies };
}
