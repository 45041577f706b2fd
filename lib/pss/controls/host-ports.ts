import type { PodSecurityControl } from "./control";
import { allContainers, isSet } from "../pod-view";

export const hostPorts: PodSecurityControl = {
  id: "hostPorts",
  violates: (pod) =>
    allContainers(pod).some((c) => (c.ports ?? []).some((p) => isSet(p?.hostPort) && p.hostPort !== 0)),
};
