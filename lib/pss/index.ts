import type { PodTemplate } from "@/lib/domain/kubernetes";
import type { PodSecurityResult, PodSecurityVerdict } from "@/lib/domain/result";
import type { PodSecurityControl } from "./controls/control";
import { CONTROLS_BY_LEVEL, POD_SECURITY_LEVELS, type PodSecurityLevel } from "./levels";
import { withContainersListed } from "./pod-view";

export { CONTROLS_BY_LEVEL, POD_SECURITY_LEVELS, RESTRICTED_OVERRIDES, type PodSecurityLevel } from "./levels";

/** Pod Security Admission's verdict for one level at policy version `latest` (v1.37). */
export function evaluatePodSecurityLevel(pod: PodTemplate, level: PodSecurityLevel): PodSecurityVerdict {
  return verdictOf(CONTROLS_BY_LEVEL[level], (control) => control.violates(pod));
}

/** Every control the levels share (most of baseline) is judged once for both. */
const DISTINCT_CONTROLS: readonly PodSecurityControl[] = [
  ...new Set(POD_SECURITY_LEVELS.flatMap((level) => CONTROLS_BY_LEVEL[level])),
];

export function evaluatePodSecurity(pod: PodTemplate): PodSecurityResult {
  const violated = withContainersListed(
    pod,
    () => new Set(DISTINCT_CONTROLS.filter((control) => control.violates(pod))),
  );
  const violates = (control: PodSecurityControl) => violated.has(control);
  return {
    baseline: verdictOf(CONTROLS_BY_LEVEL.baseline, violates),
    restricted: verdictOf(CONTROLS_BY_LEVEL.restricted, violates),
  };
}

function verdictOf(
  controls: readonly PodSecurityControl[],
  violates: (control: PodSecurityControl) => boolean,
): PodSecurityVerdict {
  const violations = controls.filter(violates).map((control) => control.id);
  return { allowed: violations.length === 0, violations };
}
