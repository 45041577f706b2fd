import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const noServiceAccountToken = defineCheck({
  id: "no-service-account-token",
  title: "Do not mount a service account token",
  severity: "low",
  category: "identity",
  seed: false,
  rationale:
    "Kubernetes mounts a token for the pod's ServiceAccount into every container unless told not to. Most applications never call the API server, and a mounted token lets an intruder do whatever that account's RBAC allows.",
  threat: "A compromised container uses the mounted token to read secrets or change objects through the API server.",
  references: {
    cisKubernetes: ["5.1.6"],
    nsaCisa: ["service-account-tokens"],
    polaris: ["automountServiceAccountToken"],
    kubescape: ["C-0034"],
  },
  fixSummary:
    "Set automountServiceAccountToken: false on the pod spec (and on its ServiceAccount); mount a projected token only where the API is needed.",
  notApplicable: {
    docker: {
      judged: "Not applicable: Docker containers get no service account token.",
      message: "Docker containers get no Kubernetes service account token",
    },
  },
  platforms: {
    kubernetes: {
      judged:
        "Fails unless spec.automountServiceAccountToken is false, or it is unset and the pod's ServiceAccount (when known) disables automount.",
      evaluate(facts) {
        const fieldPath = `${facts.specPath}.automountServiceAccountToken`;
        const podValue = facts.pod.spec.automountServiceAccountToken;
        if (podValue === false) return pass("automountServiceAccountToken is false", { fieldPath });
        if (podValue === true) return fail("automountServiceAccountToken is true", { fieldPath });
        const account = facts.pod.spec.serviceAccountName ?? "default";
        if (facts.serviceAccountAutomount === false)
          return pass(`automountServiceAccountToken is unset and ServiceAccount ${account} disables automount`, {
            fieldPath,
          });
        const known =
          facts.serviceAccountAutomount === true
            ? `ServiceAccount ${account} enables automount`
            : `ServiceAccount ${account} automounts by default`;
        return fail(`automountServiceAccountToken is unset and ${known}`, { fieldPath });
      },
      fix: () => ({ pod: { automountServiceAccountToken: false } }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            pod: { spec: { automountServiceAccountToken: undefined } },
            serviceAccountAutomount: false,
          }),
        ],
        fail: [
          secureKubernetesFacts({ pod: { spec: { automountServiceAccountToken: true } } }),
          secureKubernetesFacts({ pod: { spec: { automountServiceAccountToken: undefined } } }),
          secureKubernetesFacts({
            pod: { spec: { automountServiceAccountToken: undefined } },
            serviceAccountAutomount: true,
          }),
        ],
      },
    },
  },
});
