import type { PodTemplate } from "@/lib/domain/kubernetes";

/** One Pod Security control: `violates` is true when the pod breaks it. */
export interface PodSecurityControl {
  /** Upstream check id, e.g. `runAsNonRoot`. */
  id: string;
  violates: (pod: PodTemplate) => boolean;
}
