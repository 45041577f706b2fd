/**
 * The upstream titles of the Pod Security Standards controls (kubernetes.io/docs/concepts/security/pod-security-standards),
 * by the control ids this module and Kubernetes' admission use; shown with the id beside.
 */
export const POD_SECURITY_CONTROL_TITLES: Readonly<Record<string, string>> = {
  windowsHostProcess: "HostProcess",
  hostNamespaces: "Host Namespaces",
  privileged: "Privileged Containers",
  capabilities_baseline: "Capabilities",
  hostPathVolumes: "HostPath Volumes",
  hostPorts: "Host Ports",
  hostProbesAndHostLifecycle: "Host Probes / Lifecycle Hooks",
  appArmorProfile: "AppArmor",
  seLinuxOptions: "SELinux",
  procMount: "/proc Mount Type",
  seccompProfile_baseline: "Seccomp",
  sysctls: "Sysctls",
  restrictedVolumes: "Volume Types",
  allowPrivilegeEscalation: "Privilege Escalation",
  runAsNonRoot: "Running as Non-root",
  runAsUser: "Running as Non-root user",
  seccompProfile_restricted: "Seccomp",
  capabilities_restricted: "Capabilities",
  procMount_restricted: "/proc Mount Type",
};

/** A control's title, or its id when it has none (a verdict stored by an older version). */
export function podSecurityControlTitle(id: string): string {
  return POD_SECURITY_CONTROL_TITLES[id] ?? id;
}
