import type { PodSecurityControl } from "./control";
import { allContainers, isWindowsPod } from "../pod-view";

export const allowPrivilegeEscalation: PodSecurityControl = {
  id: "allowPrivilegeEscalation",
  violates: (pod) =>
    !isWindowsPod(pod) && allContainers(pod).some((c) => c.securityContext?.allowPrivilegeEscalation !== false),
};
