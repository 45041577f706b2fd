import type { DockerContainerFacts, KubernetesContainerFacts } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import { selectorMatches } from "./selectors";

export const ICC_OPTION = "com.docker.network.bridge.enable_icc";

/** Kubernetes' default: without policyTypes a policy is Ingress, plus Egress when it has egress rules. */
export function policyTypes(policy: NetworkPolicy): string[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return policy.spec.egress && policy.spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** The policy's name, and its file when read from one. */
export function describePolicy(policy: NetworkPolicy): string {
  return policy.source ? `${policy.metadata.name} (${policy.source})` : (policy.metadata.name ?? "");
}

/** Policies of the pod's namespace whose podSelector matches the pod's labels. */
export function selectingPolicies(facts: KubernetesContainerFacts, policies: NetworkPolicy[]): NetworkPolicy[] {
  const labels = facts.pod.metadata.labels ?? {};
  const namespace = facts.workload.namespace;
  return policies.filter(
    (p) => (p.metadata.namespace ?? namespace) === namespace && selectorMatches(p.spec.podSelector ?? {}, labels),
  );
}

/** Networks the container is attached to; an unattached `default`/`bridge` mode means the default bridge. */
export function attachedNetworks(facts: DockerContainerFacts): string[] {
  const attached = Object.keys(facts.container.NetworkSettings?.Networks ?? {});
  const mode = facts.container.HostConfig.NetworkMode ?? "default";
  if (attached.length === 0 && (mode === "default" || mode === "bridge")) return ["bridge"];
  return attached.length > 0 ? attached : [mode];
}
