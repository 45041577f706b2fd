import type { PodSecurityControl } from "./controls/control";
import { allowPrivilegeEscalation } from "./controls/allow-privilege-escalation";
import { appArmorProfile } from "./controls/app-armor-profile";
import { capabilitiesBaseline } from "./controls/capabilities-baseline";
import { capabilitiesRestricted } from "./controls/capabilities-restricted";
import { hostNamespaces } from "./controls/host-namespaces";
import { hostPathVolumes } from "./controls/host-path-volumes";
import { hostPorts } from "./controls/host-ports";
import { hostProbesAndHostLifecycle } from "./controls/host-probes-and-host-lifecycle";
import { privileged } from "./controls/privileged";
import { procMount } from "./controls/proc-mount";
import { procMountRestricted } from "./controls/proc-mount-restricted";
import { restrictedVolumes } from "./controls/restricted-volumes";
import { runAsNonRoot } from "./controls/run-as-non-root";
import { runAsUser } from "./controls/run-as-user";
import { seLinuxOptions } from "./controls/se-linux-options";
import { seccompProfileBaseline } from "./controls/seccomp-profile-baseline";
import { seccompProfileRestricted } from "./controls/seccomp-profile-restricted";
import { sysctls } from "./controls/sysctls";
import { windowsHostProcess } from "./controls/windows-host-process";

export const POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

export const BASELINE_CONTROLS: readonly PodSecurityControl[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndHostLifecycle,
];

/** Restricted controls that replace a baseline control of the same concern. */
export const RESTRICTED_OVERRIDES: Readonly<Record<string, string>> = {
  capabilities_baseline: "capabilities_restricted",
  hostPathVolumes: "restrictedVolumes",
  seccompProfile_baseline: "seccompProfile_restricted",
  procMount: "procMount_restricted",
};

const RESTRICTED_ONLY: readonly PodSecurityControl[] = [
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

export const RESTRICTED_CONTROLS: readonly PodSecurityControl[] = [
  ...BASELINE_CONTROLS.filter((control) => !(control.id in RESTRICTED_OVERRIDES)),
  ...RESTRICTED_ONLY,
];

export const CONTROLS_BY_LEVEL: Record<PodSecurityLevel, readonly PodSecurityControl[]> = {
  baseline: BASELINE_CONTROLS,
  restricted: RESTRICTED_CONTROLS,
};
