import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { noAddedCapabilities } from "./no-added-capabilities";

describe("no-added-capabilities", () => {
  it("allows NET_RAW on Docker but not on Kubernetes", () => {
    expect(
      evaluateFacts(noAddedCapabilities, secureDockerFacts({ container: { HostConfig: { CapAdd: ["NET_RAW"] } } }))
        .status,
    ).toBe("pass");
    const facts = secureKubernetesFacts({
      container: { securityContext: { capabilities: { drop: ["ALL"], add: ["NET_RAW"] } } },
    });
    expect(evaluateFacts(noAddedCapabilities, facts).status).toBe("fail");
  });
});
