import type { PodSecurityControl } from "./control";
import { allContainers, isSet, podAnnotations, podSecurityContext } from "../pod-view";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

// A present profile with an empty type is rejected, like upstream.
function isAllowedType(profile: { type?: string } | null | undefined): boolean {
  if (!isSet(profile)) return true;
  return profile.type === "RuntimeDefault" || profile.type === "Localhost";
}

function isAllowedAnnotation(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

export const appArmorProfile: PodSecurityControl = {
  id: "appArmorProfile",
  violates: (pod) =>
    !isAllowedType(podSecurityContext(pod).appArmorProfile) ||
    allContainers(pod).some((c) => !isAllowedType(c.securityContext?.appArmorProfile)) ||
    Object.entries(podAnnotations(pod)).some(
      ([key, value]) => key.startsWith(ANNOTATION_PREFIX) && !isAllowedAnnotation(String(value ?? "")),
    ),
};
