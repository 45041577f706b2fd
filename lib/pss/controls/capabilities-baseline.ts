import type { PodSecurityControl } from "./control";
import { allContainers } from "../pod-view";

// Docker's default set minus NET_RAW; matched exactly, no case folding or CAP_ prefix stripping.
const ALLOWED = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

export const capabilitiesBaseline: PodSecurityControl = {
  id: "capabilities_baseline",
  violates: (pod) =>
    allContainers(pod).some((c) => (c.securityContext?.capabilities?.add ?? []).some((cap) => !ALLOWED.has(cap))),
};
