// Applies a KubernetesFix to facts, so check tests can prove it closes its finding.
import type { DockerfileFix, KubernetesFix } from "@/lib/checks/define-check";
import { DIGEST_PLACEHOLDER } from "@/lib/checks/support/images";
import type { DockerfileContainerFacts, KubernetesContainerFacts } from "@/lib/domain/facts";
import {
  applyDockerfileEdits,
  dockerfileWorkload,
  parseDockerfile,
  renderDockerfile,
} from "@/lib/manifests/dockerfile";
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

/**
 * The Dockerfile as it would be after the edits, re-read. A digest placeholder is filled in, as the engineer
 * applying the fix must (offline, the digest is unknown): the placeholder itself never passes.
 */
export function applyDockerfileFix(facts: DockerfileContainerFacts, fix: DockerfileFix): DockerfileContainerFacts {
  const text = renderDockerfile(facts.dockerfile);
  const edited = applyDockerfileEdits(text, parseDockerfile(text), fix.edits);
  const filled = edited.replaceAll(DIGEST_PLACEHOLDER, `sha256:${"f".repeat(64)}`);
  const fixed = dockerfileWorkload(filled, facts.source).input?.containers[0];
  if (fixed?.platform !== "dockerfile") throw new Error("the fixed Dockerfile has no FROM");
  return fixed;
}
