import type { SecurityContext } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { allContainers, isSet, podSecurityContext } from "../pod-view";

const ALLOWED_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

function isAllowed(options: SecurityContext["seLinuxOptions"]): boolean {
  if (!isSet(options)) return true;
  return ALLOWED_TYPES.has(options.type ?? "") && !options.user && !options.role;
}

export const seLinuxOptions: PodSecurityControl = {
  id: "seLinuxOptions",
  violates: (pod) =>
    !isAllowed(podSecurityContext(pod).seLinuxOptions) ||
    allContainers(pod).some((c) => !isAllowed(c.securityContext?.seLinuxOptions)),
};
