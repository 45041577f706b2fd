import { containerPath, type KubernetesContainerFacts } from "@/lib/domain/facts";
import type { Container, PodSecurityContext, SecurityContext } from "@/lib/domain/kubernetes";

/** Fields that exist in both the container and the pod securityContext. */
export type SharedSecurityField = keyof PodSecurityContext & keyof SecurityContext;

export interface EffectiveValue<T> {
  value: T | undefined;
  /** Where the value came from, or the container field to set when it is unset anywhere. */
  path: string;
  level: "container" | "pod" | "unset";
}

export function securityContextPath(facts: KubernetesContainerFacts): string {
  return `${containerPath(facts)}.securityContext`;
}

export function podSecurityContextPath(facts: KubernetesContainerFacts): string {
  return `${facts.specPath}.securityContext`;
}

/** The container's value, else the pod's (CHECKS.md "effective"); null counts as unset. */
export function effective<K extends SharedSecurityField>(
  facts: KubernetesContainerFacts,
  field: K,
): EffectiveValue<NonNullable<SecurityContext[K]>> {
  const own = facts.container.securityContext?.[field];
  if (own !== undefined && own !== null) {
    return {
      value: own as NonNullable<SecurityContext[K]>,
      path: `${securityContextPath(facts)}.${field}`,
      level: "container",
    };
  }
  const pod = facts.pod.spec.securityContext?.[field];
  if (pod !== undefined && pod !== null) {
    return {
      value: pod as NonNullable<SecurityContext[K]>,
      path: `${podSecurityContextPath(facts)}.${field}`,
      level: "pod",
    };
  }
  return { value: undefined, path: `${securityContextPath(facts)}.${field}`, level: "unset" };
}

export function isPrivileged(container: Container): boolean {
  return container.securityContext?.privileged === true;
}

export function addedCapabilities(container: Container): string[] {
  return container.securityContext?.capabilities?.add ?? [];
}

export function droppedCapabilities(container: Container): string[] {
  return container.securityContext?.capabilities?.drop ?? [];
}

/** Pod (template) metadata path beside its spec: `spec.template.spec` → `spec.template.metadata`. */
export function podMetadataPath(specPath: string): string {
  const segments = specPath.split(".");
  segments[segments.length - 1] = "metadata";
  return segments.join(".");
}

/** hostPath volumes that this container mounts, with the index of the volume in the pod spec. */
export function mountedHostPaths(
  facts: KubernetesContainerFacts,
): { name: string; path: string; volumeIndex: number }[] {
  const mounts = facts.container.volumeMounts ?? [];
  const found: { name: string; path: string; volumeIndex: number }[] = [];
  (facts.pod.spec.volumes ?? []).forEach((volume, volumeIndex) => {
    if (!volume.hostPath || !mounts.some((m) => m.name === volume.name)) return;
    found.push({ name: volume.name, path: volume.hostPath.path, volumeIndex });
  });
  return found;
}

/** Strategic-merge fix that swaps hostPath volumes for emptyDir (volumes merge by name). */
export function replaceHostPathVolumes(names: string[]): Record<string, unknown> {
  return { volumes: names.map((name) => ({ name, hostPath: null, emptyDir: {} })) };
}
