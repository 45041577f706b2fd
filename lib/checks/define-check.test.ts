import { describe, expect, it } from "vitest";
import { PLATFORMS } from "@/lib/domain/facts";
import { defineCheck, evaluateFacts, fail, fixFacts, pass, type CheckSpec } from "./define-check";
import { secureDockerFacts, secureKubernetesFacts } from "./testing/baseline";

const kubernetesOnly: CheckSpec = {
  id: "kubernetes-only",
  title: "Pin the pod",
  severity: "low",
  category: "isolation",
  seed: false,
  rationale: "Test. Test.",
  threat: "Test.",
  references: {},
  fixSummary: "Pin it.",
  platforms: {
    kubernetes: {
      judged: "Fails unless hostNetwork is unset.",
      evaluate: (facts) =>
        facts.pod.spec.hostNetwork ? fail("hostNetwork is true", { fieldPath: "spec.hostNetwork" }) : pass("unset"),
      fix: () => ({ pod: { hostNetwork: false } }),
    },
  },
};

describe("defineCheck", () => {
  it("dispatches on the facts' platform", () => {
    const check = defineCheck(kubernetesOnly);
    expect(evaluateFacts(check, secureKubernetesFacts()).status).toBe("pass");
    expect(evaluateFacts(check, secureKubernetesFacts({ pod: { spec: { hostNetwork: true } } })).status).toBe("fail");
    expect(fixFacts(check, secureKubernetesFacts())).toEqual({ pod: { hostNetwork: false } });
  });

  it("makes a platform without an entry not applicable, with a generated sentence and message", () => {
    const check = defineCheck(kubernetesOnly);
    expect(evaluateFacts(check, secureDockerFacts())).toEqual({
      status: "not-applicable",
      message: "Pin the pod: not applicable to Docker",
    });
    expect(check.judged).toEqual({
      kubernetes: "Fails unless hostNetwork is unset.",
      docker: "Not applicable: the check has no rule for Docker.",
      dockerfile: "Not applicable: the check has no rule for Dockerfile.",
    });
    expect(fixFacts(check, secureDockerFacts())).toBeUndefined();
  });

  it("takes the check's own words for a platform it does not apply to", () => {
    const check = defineCheck({
      ...kubernetesOnly,
      notApplicable: { docker: { judged: "Not applicable: no pods.", message: "Docker has no pods" } },
    });
    expect(evaluateFacts(check, secureDockerFacts()).message).toBe("Docker has no pods");
    expect(check.judged.docker).toBe("Not applicable: no pods.");
  });

  it("gives every check the same keys, with a sentence and an evaluator for every platform", () => {
    const full = defineCheck({ ...kubernetesOnly, notApplicable: {} });
    const bare = defineCheck(kubernetesOnly);
    expect(Object.keys(bare)).toEqual(Object.keys(full));
    expect(Object.keys(bare.evaluators)).toEqual([...PLATFORMS]);
    expect(Object.keys(bare.judged)).toEqual([...PLATFORMS]);
  });
});
