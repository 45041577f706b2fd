import type { PodSecurityControl } from "./control";
import { allContainers, isSet, isWindowsPod, podSecurityContext } from "../pod-view";
import { isBadSeccomp, isValidSeccomp } from "./seccomp-profile-baseline";

export const seccompProfileRestricted: PodSecurityControl = {
  id: "seccompProfile_restricted",
  violates: (pod) => {
    if (isWindowsPod(pod)) return false;
    const podProfile = podSecurityContext(pod).seccompProfile;
    if (isBadSeccomp(podProfile)) return true;
    const podCovers = isSet(podProfile) && isValidSeccomp(podProfile);
    return allContainers(pod).some((c) => {
      const own = c.securityContext?.seccompProfile;
      return isSet(own) ? !isValidSeccomp(own) : !podCovers;
    });
  },
};
