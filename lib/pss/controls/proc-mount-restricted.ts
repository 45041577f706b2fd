import type { PodTemplate } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { allContainers, isSet } from "../pod-view";

export function setsNonDefaultProcMount(pod: PodTemplate): boolean {
  return allContainers(pod).some((c) => {
    const procMount = c.securityContext?.procMount;
    return isSet(procMount) && procMount !== "Default";
  });
}

export const procMountRestricted: PodSecurityControl = {
  id: "procMount_restricted",
  violates: setsNonDefaultProcMount,
};
