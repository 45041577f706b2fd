import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { podSecurityContextPath, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const notPrivileged = defineCheck({
  id: "not-privileged",
  title: "Do not run privileged",
  severity: "critical",
  category: "privileges",
  seed: true,
  rationale:
    "A privileged container gets every capability, every host device and no seccomp or AppArmor confinement: it is root on the node in all but name. Windows HostProcess containers likewise run directly on the host. Almost no application needs either.",
  threat: "Anyone who controls the container controls the node, its other workloads and its credentials.",
  references: {
    cisKubernetes: ["5.2.2", "5.2.10"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.5"],
    podSecurity: ["privileged", "windowsHostProcess"],
    polaris: ["runAsPrivileged", "hostProcess"],
    kubescape: ["C-0057"],
  },
  fixSummary:
    "Remove privileged mode (and HostProcess); grant only the specific capability or device the workload needs.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when securityContext.privileged is true, or windowsOptions.hostProcess is true at pod or container level.",
      evaluate(facts) {
        const own = facts.container.securityContext;
        if (own?.privileged === true)
          return fail("privileged is true", { fieldPath: `${securityContextPath(facts)}.privileged` });
        if (own?.windowsOptions?.hostProcess === true)
          return fail("windowsOptions.hostProcess is true at container level", {
            fieldPath: `${securityContextPath(facts)}.windowsOptions.hostProcess`,
          });
        if (facts.pod.spec.securityContext?.windowsOptions?.hostProcess === true) {
          return fail("windowsOptions.hostProcess is true at pod level", {
            fieldPath: `${podSecurityContextPath(facts)}.windowsOptions.hostProcess`,
          });
        }
        return pass(
          `privileged is ${own?.privileged === false ? "false" : "not set"} and no HostProcess is requested`,
          {
            fieldPath: `${securityContextPath(facts)}.privileged`,
          },
        );
      },
      fix(facts) {
        const own = facts.container.securityContext;
        const hostProcess = own?.windowsOptions?.hostProcess === true ? { windowsOptions: { hostProcess: null } } : {};
        const podHostProcess = facts.pod.spec.securityContext?.windowsOptions?.hostProcess === true;
        return {
          container: { securityContext: { privileged: false, ...hostProcess } },
          ...(podHostProcess ? { pod: { securityContext: { windowsOptions: { hostProcess: null } } } } : {}),
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { securityContext: { privileged: undefined } } }),
        ],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { privileged: true } } }),
          secureKubernetesFacts({ container: { securityContext: { windowsOptions: { hostProcess: true } } } }),
          secureKubernetesFacts({ pod: { spec: { securityContext: { windowsOptions: { hostProcess: true } } } } }),
        ],
      },
    },
    docker: {
      judged: "Fails when HostConfig.Privileged is true.",
      evaluate(facts) {
        if (facts.container.HostConfig.Privileged === true)
          return fail("HostConfig.Privileged is true", { fieldPath: "HostConfig.Privileged" });
        return pass("HostConfig.Privileged is false", { fieldPath: "HostConfig.Privileged" });
      },
      fix: () => ({ remove: ["--privileged"], compose: { privileged: false } }),
      examples: {
        pass: [secureDockerFacts()],
        fail: [
          secureDockerFacts({
            container: { HostConfig: { Privileged: true, SecurityOpt: ["label=disable", "no-new-privileges"] } },
          }),
        ],
      },
    },
  },
});
