import type { PodSecurityControl } from "./control";
import { allContainers, isWindowsPod } from "../pod-view";

// Literal, case-sensitive: dropping every capability by name does not count as "ALL".
export const capabilitiesRestricted: PodSecurityControl = {
  id: "capabilities_restricted",
  violates: (pod) =>
    !isWindowsPod(pod) &&
    allContainers(pod).some((c) => {
      const capabilities = c.securityContext?.capabilities;
      if (!capabilities) return true;
      const dropsAll = (capabilities.drop ?? []).includes("ALL");
      const addsOnlyBind = (capabilities.add ?? []).every((cap) => cap === "NET_BIND_SERVICE");
      return !dropsAll || !addsOnlyBind;
    }),
};
