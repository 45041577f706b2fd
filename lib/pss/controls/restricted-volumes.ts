import type { Volume } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { isSet, podSpec } from "../pod-view";

const ALLOWED_SOURCES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

/** Every other volume source of the core API: node-level or legacy in-tree storage. */
const RESTRICTED_SOURCES = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "nfs",
  "iscsi",
  "glusterfs",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "fc",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
];

// A volume with no known source is defaulted to emptyDir by the API server (unknown keys are dropped
// when decoding), so only a restricted source without any allowed one is rejected.
function isRestricted(volume: Volume): boolean {
  if (ALLOWED_SOURCES.some((source) => isSet(volume[source]))) return false;
  return RESTRICTED_SOURCES.some((source) => isSet(volume[source]));
}

export const restrictedVolumes: PodSecurityControl = {
  id: "restrictedVolumes",
  violates: (pod) => (podSpec(pod).volumes ?? []).some((v) => isSet(v) && isRestricted(v)),
};
