import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { noServiceAccountToken } from "./no-service-account-token";

describe("no-service-account-token", () => {
  it("is not applicable on Docker, in its own words", () => {
    expect(evaluateFacts(noServiceAccountToken, secureDockerFacts())).toEqual({
      status: "not-applicable",
      message: "Docker containers get no Kubernetes service account token",
    });
    expect(noServiceAccountToken.judged.docker).toBe("Not applicable: Docker containers get no service account token.");
  });

  it("takes the pod's explicit setting over its ServiceAccount's", () => {
    const facts = secureKubernetesFacts({
      pod: { spec: { automountServiceAccountToken: true } },
      serviceAccountAutomount: false,
    });
    expect(evaluateFacts(noServiceAccountToken, facts)).toMatchObject({
      status: "fail",
      message: "automountServiceAccountToken is true",
      fieldPath: "spec.template.spec.automountServiceAccountToken",
    });
  });
});
