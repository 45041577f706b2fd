import type { PodSecurityControl } from "./control";
import { allContainers, isSet, isUserNamespaced, podSecurityContext } from "../pod-view";

// An explicit false anywhere fails; otherwise every container needs its own true or the pod's true.
export const runAsNonRoot: PodSecurityControl = {
  id: "runAsNonRoot",
  violates: (pod) => {
    if (isUserNamespaced(pod)) return false;
    const podValue = podSecurityContext(pod).runAsNonRoot;
    if (podValue === false) return true;
    return allContainers(pod).some((c) => {
      const own = c.securityContext?.runAsNonRoot;
      return isSet(own) ? own === false : podValue !== true;
    });
  },
};
