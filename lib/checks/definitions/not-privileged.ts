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
    cisDocker: ["5.5"],
    podSecurity: ["privileged", "windowsHostProcess"],
    polaris: ["runAsPrivileged", "hostProcess"],
    kubescape: ["C-0057"],
  },
  judged: {
    kubernetes:
      "Fails when securityContext.privileged is true, or windowsOptions.hostProcess is true at pod or container level.",
    docker: "Fails when HostConfig.Privileged is true.",
  },
  kubernetes(facts) {
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
    return pass(`privileged is ${own?.privileged === false ? "false" : "not set"} and no HostProcess is requested`, {
      fieldPath: `${securityContextPath(facts)}.privileged`,
    });
  },
  docker(facts) {
    if (facts.container.HostConfig.Privileged === true)
      return fail("HostConfig.Privileged is true", { fieldPath: "HostConfig.Privileged" });
    return pass("HostConfig.Privileged is false", { fieldPath: "HostConfig.Privileged" });
  },
  remediation: {
    summary:
      "Remove privileged mode (and HostProcess); grant only the specific capability or device the workload needs.",
    kubernetes(facts) {
      const own = facts.container.securityContext;
      const hostProcess = own?.windowsOptions?.hostProcess === true ? { windowsOptions: { hostProcess: null } } : {};
      const podHostProcess = facts.pod.spec.securityContext?.windowsOptions?.hostProcess === true;
      return {
        container: { securityContext: { privileged: false, ...hostProcess } },
        ...(podHostProcess ? { pod: { securityContext: { windowsOptions: { hostProcess: null } } } } : {}),
      };
    },
    docker: () => ({ remove: ["--privileged"], compose: { privileged: false } }),
  },
  examples: {
    kubernetes: {
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
    docker: {
      pass: [secureDockerFacts()],
      fail: [
        secureDockerFacts({
          container: { HostConfig: { Privileged: true, SecurityOpt: ["label=disable", "no-new-privileges"] } },
        }),
      ],
    },
  },
});
