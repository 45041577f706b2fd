import type { PodTemplate } from "@/lib/domain/kubernetes";
import type { PodSecurityResult, PodSecurityVerdict } from "@/lib/domain/result";
import { CONTROLS_BY_LEVEL, type PodSecurityLevel } from "./levels";

export { CONTROLS_BY_LEVEL, POD_SECURITY_LEVELS, RESTRICTED_OVERRIDES, type PodSecurityLevel } from "./levels";

/** Pod Security Admission's verdict for one level at policy version `latest` (v1.37). */
export function evaluatePodSecurityLevel(pod: PodTemplate, level: PodSecurityLevel): PodSecurityVerdict {
  const violations = CONTROLS_BY_LEVEL[level].filter((control) => control.violates(pod)).map((control) => control.id);
  return { allowed: violations.length === 0, violations };
}

export function evaluatePodSecurity(pod: PodTemplate): PodSecurityResult {
  return {
    baseline: evaluatePodSecurityLevel(pod, "baseline"),
    restricted: evaluatePodSecurityLevel(pod, "restricted"),
  };
}
