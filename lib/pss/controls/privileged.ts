import type { PodSecurityControl } from "./control";
import { allContainers } from "../pod-view";

export const privileged: PodSecurityControl = {
  id: "privileged",
  violates: (pod) => allContainers(pod).some((c) => c.securityContext?.privileged === true),
};
