import type { Container, PodSecurityContext, PodSpec, PodTemplate } from "@/lib/domain/kubernetes";

// Pod Security Admission reads raw pods: any field may be absent or null, and null counts as unset.

export function podSpec(pod: PodTemplate): Partial<PodSpec> {
  return pod.spec ?? {};
}

export function podSecurityContext(pod: PodTemplate): PodSecurityContext {
  return podSpec(pod).securityContext ?? {};
}

export function podAnnotations(pod: PodTemplate): Record<string, string> {
  return pod.metadata?.annotations ?? {};
}

/** Init, regular and ephemeral containers, in the order Pod Security Admission visits them. */
export function allContainers(pod: PodTemplate): Container[] {
  const spec = podSpec(pod);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].filter(
    (c): c is Container => c !== null && typeof c === "object",
  );
}

export function isWindowsPod(pod: PodTemplate): boolean {
  return podSpec(pod).os?.name === "windows";
}

/** `hostUsers: false` (a user-namespaced pod) relaxes some controls since policy v1.35. */
export function isUserNamespaced(pod: PodTemplate): boolean {
  return podSpec(pod).hostUsers === false;
}

export function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
