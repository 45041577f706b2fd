import { CHECK_CATALOG, type CheckMeta } from "@/lib/checks/catalog";
import { CIS_DOCKER } from "./cis-docker";
import { CIS_KUBERNETES } from "./cis-kubernetes";
import { NSA_CISA } from "./nsa-cisa";
import { POD_SECURITY } from "./pod-security";
import { FRAMEWORK_IDS, type Framework, type FrameworkControl, type FrameworkId } from "./types";

export { FRAMEWORK_IDS, type Framework, type FrameworkControl, type FrameworkId } from "./types";

export const FRAMEWORKS: Readonly<Record<FrameworkId, Framework>> = {
  "cis-docker": CIS_DOCKER,
  "pod-security": POD_SECURITY,
  "nsa-cisa": NSA_CISA,
  "cis-kubernetes": CIS_KUBERNETES,
};

export function getFramework(id: string): Framework | undefined {
  return (FRAMEWORK_IDS as readonly string[]).includes(id) ? FRAMEWORKS[id as FrameworkId] : undefined;
}

/** The checks whose references name the control, in catalog order. */
export function checksOfControl(framework: Framework, controlId: string): CheckMeta[] {
  return CHECK_CATALOG.filter((check) => check.references[framework.referenceKey]?.includes(controlId));
}

/**
 * Why Rampart does not judge a control, or null when it does. Pod Security controls are judged from the verdicts;
 * a checklist framework's control is judged when a check references it.
 */
export function notJudgedReason(framework: Framework, control: FrameworkControl): string | null {
  if (framework.basis === "pod-security" || checksOfControl(framework, control.id).length > 0) return null;
  const section = framework.sections.find((s) => s.id === control.section);
  return control.notJudged ?? section?.notJudged ?? "No Rampart check judges it.";
}
