import { CONTROLS_BY_LEVEL, POD_SECURITY_LEVELS } from "@/lib/pss";
import { podSecurityControlTitle } from "@/lib/pss/titles";
import type { Framework } from "./types";

/**
 * The Pod Security Standards as Pod Security Admission checks them (policy version `latest`): one section per level,
 * its controls under their upstream check ids. Judged from each workload's stored verdict, not from the checklist.
 */
export const POD_SECURITY: Framework = {
  id: "pod-security",
  name: "Pod Security Standards",
  edition: "policy version latest",
  source: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
  platform: "kubernetes",
  basis: "pod-security",
  referenceKey: "podSecurity",
  sections: POD_SECURITY_LEVELS.map((level) => ({
    id: level,
    title: level === "baseline" ? "Baseline" : "Restricted",
  })),
  controls: POD_SECURITY_LEVELS.flatMap((level) =>
    CONTROLS_BY_LEVEL[level].map((control) => ({
      id: control.id,
      title: podSecurityControlTitle(control.id),
      section: level,
    })),
  ),
};
