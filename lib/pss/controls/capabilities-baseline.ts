import { BASELINE_CAPABILITIES } from "@/lib/domain/capabilities";
import type { PodSecurityControl } from "./control";
import { allContainers } from "../pod-view";

// Matched exactly: no case folding or CAP_ prefix stripping.
const ALLOWED = new Set(BASELINE_CAPABILITIES);

export const capabilitiesBaseline: PodSecurityControl = {
  id: "capabilities_baseline",
  violates: (pod) =>
    allContainers(pod).some((c) => (c.securityContext?.capabilities?.add ?? []).some((cap) => !ALLOWED.has(cap))),
};
