import { describe, expect, it } from "vitest";
import { evaluateFacts, fixFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { networkIsolation } from "./network-isolation";

describe("network-isolation", () => {
  const onBridge = (icc: string | undefined) =>
    secureDockerFacts({
      container: {
        HostConfig: { NetworkMode: "bridge" },
        NetworkSettings: { Networks: { "app-net": undefined, bridge: {} } },
      },
      networks: [
        { Name: "bridge", Id: "n1", Options: icc === undefined ? {} : { "com.docker.network.bridge.enable_icc": icc } },
      ],
    });

  it('fails the default bridge unless icc is "false"', () => {
    expect(evaluateFacts(networkIsolation, onBridge("true")).status).toBe("fail");
    expect(evaluateFacts(networkIsolation, onBridge(undefined)).status).toBe("fail");
    expect(evaluateFacts(networkIsolation, onBridge("false")).status).toBe("pass");
  });

  it("is not evaluated on the bridge without the host's networks", () => {
    expect(evaluateFacts(networkIsolation, { ...onBridge("false"), networks: undefined }).status).toBe("not-evaluated");
  });

  it("is not evaluated when NetworkPolicies could not be read", () => {
    const facts = secureKubernetesFacts({
      networkPolicies: { value: undefined, unavailable: "forbidden: list networkpolicies" },
    });
    expect(evaluateFacts(networkIsolation, facts)).toMatchObject({
      status: "not-evaluated",
      message: expect.stringContaining("forbidden"),
    });
  });

  it("names the selecting policies and whether egress is limited", () => {
    const ingressOnly = secureKubernetesFacts({
      networkPolicies: {
        value: [
          {
            metadata: { name: "deny-in" },
            spec: { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } },
          },
        ],
      },
    });
    expect(evaluateFacts(networkIsolation, ingressOnly).message).toBe("Ingress limited by deny-in; Egress not limited");
    expect(evaluateFacts(networkIsolation, secureKubernetesFacts()).message).toBe(
      "Ingress limited by default-deny; Egress limited too",
    );
  });

  it("ignores policies of other namespaces", () => {
    const facts = secureKubernetesFacts({
      networkPolicies: {
        value: [
          { metadata: { name: "deny", namespace: "other" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
        ],
      },
    });
    expect(evaluateFacts(networkIsolation, facts).status).toBe("fail");
  });

  it("fixes with a default-deny ingress policy selecting the pod's labels", () => {
    const facts = secureKubernetesFacts({ networkPolicies: { value: [] } });
    expect(fixFacts(networkIsolation, facts)).toEqual({
      manifest: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "web-default-deny-ingress", namespace: "shop" },
        spec: { podSelector: { matchLabels: { app: "web", tier: "frontend" } }, policyTypes: ["Ingress"] },
      },
    });
  });
});
