// Applies a KubernetesFix to facts, so check tests can prove it closes its finding.
import type { KubernetesFix } from "@/lib/checks/define-check";
import type { KubernetesContainerFacts } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import { applyStrategicMergePatch } from "@/lib/remediation/strategic-merge";

type Json = Record<string, unknown>;
const strategicMerge = (base: Json, patch: Json): Json => applyStrategicMergePatch(base, patch);

/** The facts as they would be after applying the fix and re-reading the object. */
export function applyKubernetesFix(facts: KubernetesContainerFacts, fix: KubernetesFix): KubernetesContainerFacts {
  const copy = structuredClone(facts);
  const container = strategicMerge(
    copy.container as unknown as Json,
    fix.container ?? {},
  ) as unknown as KubernetesContainerFacts["container"];
  const spec = strategicMerge(
    copy.pod.spec as unknown as Json,
    fix.pod ?? {},
  ) as unknown as KubernetesContainerFacts["pod"]["spec"];
  const metadata = strategicMerge(copy.pod.metadata as unknown as Json, fix.podMetadata ?? {});
  const list = [...(spec[copy.list] ?? [])];
  list[copy.index] = container;
  spec[copy.list] = list;
  const manifest = fix.manifest as unknown as NetworkPolicy & { kind?: string };
  const networkPolicies =
    manifest?.kind === "NetworkPolicy" && "value" in copy.networkPolicies
      ? { value: [...copy.networkPolicies.value, manifest] }
      : copy.networkPolicies;
  return { ...copy, container, image: container.image ?? copy.image, pod: { metadata, spec }, networkPolicies };
}
