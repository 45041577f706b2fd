import type { PodSecurityControl } from "./control";
import { isSet, podSpec } from "../pod-view";

export const hostPathVolumes: PodSecurityControl = {
  id: "hostPathVolumes",
  violates: (pod) => (podSpec(pod).volumes ?? []).some((v) => isSet(v?.hostPath)),
};
