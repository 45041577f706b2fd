import type { CheckReferences } from "@/lib/checks/define-check";

export const FRAMEWORK_IDS = ["cis-docker", "pod-security", "nsa-cisa", "cis-kubernetes"] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface FrameworkSection {
  id: string;
  title: string;
  /** Why its controls that no check references are not judged, when one reason holds for all of them. */
  notJudged?: string;
}

export interface FrameworkControl {
  /** The framework's own id (CIS number, Pod Security check id, or the guidance's heading). */
  id: string;
  title: string;
  /** The section it sits in (a FrameworkSection id). */
  section: string;
  /** Why Rampart does not judge it, when no check references it and the section gives no reason. */
  notJudged?: string;
}

export interface Framework {
  id: FrameworkId;
  name: string;
  /** The edition the control ids and titles come from. */
  edition: string;
  source: string;
  /** The targets it applies to: CIS Docker to Docker hosts, the rest to Kubernetes clusters. */
  platform: "docker" | "kubernetes";
  /** What a control's % counts: container results of its checks, or workloads' Pod Security verdicts. */
  basis: "checks" | "pod-security";
  /** The key of CheckReferences naming this framework's control ids on each check. */
  referenceKey: keyof CheckReferences;
  sections: readonly FrameworkSection[];
  controls: readonly FrameworkControl[];
}

/** `[id, title]` rows, the section being the id's part before the first dot. */
export function controlsOf(rows: readonly (readonly [string, string])[]): FrameworkControl[] {
  return rows.map(([id, title]) => ({ id, title, section: id.split(".")[0] ?? id }));
}
