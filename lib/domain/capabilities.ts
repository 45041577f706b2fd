/**
 * The capabilities Pod Security's baseline level allows a container to add: Docker's default set without
 * NET_RAW. Names as Kubernetes writes them (no `CAP_` prefix, upper case).
 */
export const BASELINE_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

/** Docker's default capability set. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [...BASELINE_CAPABILITIES, "NET_RAW"];
