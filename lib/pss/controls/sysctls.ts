import type { PodSecurityControl } from "./control";
import { podSecurityContext } from "../pod-view";

// The namespaced, safe sysctls allowed at policy v1.37.
const ALLOWED = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
  "net.ipv4.tcp_slow_start_after_idle",
  "net.ipv4.tcp_notsent_lowat",
]);

export const sysctls: PodSecurityControl = {
  id: "sysctls",
  violates: (pod) => (podSecurityContext(pod).sysctls ?? []).some((s) => !ALLOWED.has(s?.name ?? "")),
};
