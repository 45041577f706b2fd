import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { BASELINE_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES } from "@/lib/domain/capabilities";
import { normalizeCapability } from "@/lib/checks/support/docker";
import { addedCapabilities, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const noAddedCapabilities = defineCheck({
  id: "no-added-capabilities",
  title: "Add no capability beyond the runtime default",
  severity: "high",
  category: "privileges",
  seed: false,
  rationale:
    "Capabilities outside the runtime's default set, such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE, each hand over part of root's power over the kernel. Several are known container-escape paths on their own.",
  threat:
    "An added capability such as SYS_ADMIN or SYS_PTRACE lets a compromised container escape or tamper with the host.",
  references: {
    cisKubernetes: ["5.2.9"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.4"],
    podSecurity: ["capabilities_baseline"],
    polaris: ["dangerousCapabilities"],
    kubescape: ["C-0046"],
  },
  fixSummary:
    "Remove the added capabilities; if one is truly needed, run that part of the work in a separate, tightly scoped container.",
  platforms: {
    kubernetes: {
      judged: `Fails when capabilities.add has a capability outside ${BASELINE_CAPABILITIES.join(", ")} (exact literals).`,
      evaluate(facts) {
        const extra = addedCapabilities(facts.container).filter((c) => !BASELINE_CAPABILITIES.includes(c));
        const fieldPath = `${securityContextPath(facts)}.capabilities.add`;
        if (extra.length > 0)
          return fail(`capabilities.add has ${extra.join(", ")}, outside the baseline set`, { fieldPath });
        return pass("capabilities.add has nothing outside the baseline set", { fieldPath });
      },
      fix(facts) {
        const kept = addedCapabilities(facts.container).filter((c) => BASELINE_CAPABILITIES.includes(c));
        return { container: { securityContext: { capabilities: { add: kept.length > 0 ? kept : null } } } };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            container: { securityContext: { capabilities: { drop: ["ALL"], add: ["CHOWN", "NET_BIND_SERVICE"] } } },
          }),
        ],
        fail: ["SYS_ADMIN", "NET_RAW", "chown", "ALL"].map((cap) =>
          secureKubernetesFacts({ container: { securityContext: { capabilities: { drop: ["ALL"], add: [cap] } } } }),
        ),
      },
    },
    docker: {
      judged:
        "Fails when HostConfig.CapAdd has a capability outside Docker's default set (compared case-insensitively, CAP_ prefix ignored).",
      evaluate(facts) {
        const extra = (facts.container.HostConfig.CapAdd ?? []).filter(
          (c) => !DOCKER_DEFAULT_CAPABILITIES.includes(normalizeCapability(c)),
        );
        if (extra.length > 0)
          return fail(`HostConfig.CapAdd has ${extra.join(", ")}, outside Docker's default set`, {
            fieldPath: "HostConfig.CapAdd",
          });
        return pass("HostConfig.CapAdd has nothing outside Docker's default set", { fieldPath: "HostConfig.CapAdd" });
      },
      fix(facts) {
        const add = facts.container.HostConfig.CapAdd ?? [];
        const kept = add.filter((c) => DOCKER_DEFAULT_CAPABILITIES.includes(normalizeCapability(c)));
        return {
          remove: add.filter((c) => !kept.includes(c)).map((c) => `--cap-add=${c}`),
          compose: { cap_add: kept.length > 0 ? kept : null },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { HostConfig: { CapAdd: ["net_raw", "CAP_CHOWN"] } } }),
        ],
        fail: ["SYS_ADMIN", "cap_sys_ptrace", "ALL"].map((cap) =>
          secureDockerFacts({ container: { HostConfig: { CapAdd: [cap] } } }),
        ),
      },
    },
  },
});
