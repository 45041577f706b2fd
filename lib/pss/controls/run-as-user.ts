import type { PodSecurityControl } from "./control";
import { allContainers, isUserNamespaced, podSecurityContext } from "../pod-view";

export const runAsUser: PodSecurityControl = {
  id: "runAsUser",
  violates: (pod) =>
    !isUserNamespaced(pod) &&
    (podSecurityContext(pod).runAsUser === 0 || allContainers(pod).some((c) => c.securityContext?.runAsUser === 0)),
};
