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

/** The pod being judged by every control of one evaluation, and its containers, listed once. */
let judging: { pod: PodTemplate; containers: readonly Container[] } | undefined;

/** Runs `judge` with allContainers(pod) listed once; the list is dropped when it returns, so edits to the pod between evaluations are seen. */
export function withContainersListed<T>(pod: PodTemplate, judge: () => T): T {
  const outer = judging;
  judging = { pod, containers: listContainers(pod) };
  try {
    return judge();
  } finally {
    judging = outer;
  }
}

/** Init, regular and ephemeral containers, in the order Pod Security Admission visits them. */
export function allContainers(pod: PodTemplate): readonly Container[] {
  return judging?.pod === pod ? judging.containers : listContainers(pod);
}

function listContainers(pod: PodTemplate): Container[] {
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
