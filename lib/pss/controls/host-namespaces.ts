import type { PodSecurityControl } from "./control";
import { podSpec } from "../pod-view";

export const hostNamespaces: PodSecurityControl = {
  id: "hostNamespaces",
  violates: (pod) => {
    const spec = podSpec(pod);
    return spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true;
  },
};
