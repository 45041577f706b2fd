import type { PodSecurityControl } from "./control";
import { allContainers, podSecurityContext } from "../pod-view";

export const windowsHostProcess: PodSecurityControl = {
  id: "windowsHostProcess",
  violates: (pod) =>
    podSecurityContext(pod).windowsOptions?.hostProcess === true ||
    allContainers(pod).some((c) => c.securityContext?.windowsOptions?.hostProcess === true),
};
