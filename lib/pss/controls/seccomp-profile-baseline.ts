import type { TypedProfile } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { allContainers, isSet, podSecurityContext } from "../pod-view";

export function isValidSeccomp(profile: TypedProfile): boolean {
  return profile.type === "RuntimeDefault" || profile.type === "Localhost";
}

/** An explicitly set profile whose type is neither RuntimeDefault nor Localhost. */
export function isBadSeccomp(profile: TypedProfile | null | undefined): boolean {
  return isSet(profile) && !isValidSeccomp(profile);
}

export const seccompProfileBaseline: PodSecurityControl = {
  id: "seccompProfile_baseline",
  violates: (pod) =>
    isBadSeccomp(podSecurityContext(pod).seccompProfile) ||
    allContainers(pod).some((c) => isBadSeccomp(c.securityContext?.seccompProfile)),
};
