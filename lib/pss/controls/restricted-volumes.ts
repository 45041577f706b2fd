import type { Volume } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { isSet, podSpec } from "../pod-view";

const ALLOWED_SOURCES = [
  "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret",
];

// A volume with no source at all is defaulted to emptyDir by the API server, so only an allowed
// source being set counts: anything else (hostPath, nfs, gitRepo, …) is rejected.
function hasAllowedSource(volume: Volume): boolean {
  const hasAnySource = Object.entries(volume).some(([key, value]) => key !== "name" && isSet(value));
  return !hasAnySource || ALLOWED_SOURCES.some((source) => isSet(volume[source]));
}

export const restrictedVolumes: PodSecurityControl = {
  id: "restrictedVolumes",
  violates: (pod) => (podSpec(pod).volumes ?? []).some((v) => isSet(v) && !hasAllowedSource(v)),
};
