import type { HandlerHost } from "@/lib/domain/kubernetes";
import type { PodSecurityControl } from "./control";
import { allContainers } from "../pod-view";

// Any non-empty host is rejected, loopback included: the kubelet, not the pod, would make the request.
function setsHost(handler: HandlerHost | null | undefined): boolean {
  if (!handler) return false;
  return Boolean(handler.httpGet?.host) || Boolean(handler.tcpSocket?.host);
}

export const hostProbesAndHostLifecycle: PodSecurityControl = {
  id: "hostProbesAndHostLifecycle",
  violates: (pod) =>
    allContainers(pod).some((c) =>
      [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop].some(setsHost),
    ),
};
