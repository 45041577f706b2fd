import { describe, expect, it } from "vitest";
import type { Status } from "@/lib/domain/severity";
import { evaluateWorkload } from "@/lib/evaluate";
import { normalizeKubernetesWorkload } from "@/lib/normalize/kubernetes";
import { kubernetesContainer, kubernetesPodFields, randomPosture, seededRandom, type Posture } from ".";

function judge(posture: Posture): Record<string, Status> {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "team-1" },
    spec: {
      containers: [kubernetesContainer(posture, "main", "ghcr.io/acme/api:2.4.1")],
      ...kubernetesPodFields(posture),
    },
  };
  const { input, errors } = normalizeKubernetesWorkload(pod, { source: "test", networkPolicies: { value: [] } });
  expect(errors).toEqual([]);
  const [container] = evaluateWorkload(input!).containers;
  return Object.fromEntries(container!.checks.map((c) => [c.checkId, c.status]));
}

describe("postures rendered for Kubernetes", () => {
  it("are judged as the posture intends, for 300 random postures", () => {
    const random = seededRandom(17);
    for (let i = 0; i < 300; i++) {
      const { posture } = randomPosture(random);
      const statuses = judge(posture);
      expect({ i, privileged: statuses["not-privileged"] }).toEqual({
        i,
        privileged: posture.privileged ? "fail" : "pass",
      });
      expect(statuses["read-only-root-filesystem"]).toBe(posture.readOnlyRoot ? "pass" : "fail");
      expect(statuses["no-host-namespaces"]).toBe(
        posture.hostNetwork || posture.hostPid || posture.hostIpc ? "fail" : "pass",
      );
      expect(statuses["no-container-runtime-socket"]).toBe(posture.runtimeSocket ? "fail" : "pass");
    }
  });
});
