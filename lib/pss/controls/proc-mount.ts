import type { PodSecurityControl } from "./control";
import { isUserNamespaced } from "../pod-view";
import { setsNonDefaultProcMount } from "./proc-mount-restricted";

export const procMount: PodSecurityControl = {
  id: "procMount",
  violates: (pod) => !isUserNamespaced(pod) && setsNonDefaultProcMount(pod),
};
