import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { securityOptions } from "@/lib/checks/support/docker";
import { addedCapabilities, isPrivileged, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const NO_NEW_PRIVILEGES = ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"];
const SYS_ADMIN = ["SYS_ADMIN", "CAP_SYS_ADMIN"];

export const noPrivilegeEscalation = defineCheck({
  id: "no-privilege-escalation",
  title: "Forbid privilege escalation",
  severity: "high",
  category: "privileges",
  seed: true,
  rationale:
    "Without the no_new_privs flag a process can gain privileges through setuid binaries or file capabilities, undoing a non-root user. Kubernetes sets the flag only when allowPrivilegeEscalation is explicitly false; Docker only with the no-new-privileges security option.",
  threat: "A setuid binary in the image (su, sudo, ping) lifts an attacker from the application user to root.",
  references: {
    cisKubernetes: ["5.2.6"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.26"],
    podSecurity: ["allowPrivilegeEscalation"],
    polaris: ["privilegeEscalationAllowed"],
    kubescape: ["C-0016"],
  },
  fixSummary:
    "Set allowPrivilegeEscalation: false (Docker: --security-opt no-new-privileges:true) and do not run privileged or add SYS_ADMIN.",
  platforms: {
    kubernetes: {
      judged:
        "Fails unless securityContext.allowPrivilegeEscalation is explicitly false (unset means true), or when the container is privileged or adds SYS_ADMIN.",
      evaluate(facts) {
        const path = securityContextPath(facts);
        if (isPrivileged(facts.container)) return fail("privileged is true", { fieldPath: `${path}.privileged` });
        const sysAdmin = addedCapabilities(facts.container).find((c) => SYS_ADMIN.includes(c));
        if (sysAdmin) return fail(`capabilities.add has ${sysAdmin}`, { fieldPath: `${path}.capabilities.add` });
        const value = facts.container.securityContext?.allowPrivilegeEscalation;
        const fieldPath = `${path}.allowPrivilegeEscalation`;
        if (value === false) return pass("allowPrivilegeEscalation is false", { fieldPath });
        return fail(`allowPrivilegeEscalation is ${value === true ? "true" : "not set (defaults to true)"}`, {
          fieldPath,
        });
      },
      fix(facts) {
        const add = addedCapabilities(facts.container);
        const kept = add.filter((c) => !SYS_ADMIN.includes(c));
        const capabilities = kept.length < add.length ? { capabilities: { add: kept.length > 0 ? kept : null } } : {};
        const privileged = isPrivileged(facts.container) ? { privileged: false } : {};
        return { container: { securityContext: { allowPrivilegeEscalation: false, ...privileged, ...capabilities } } };
      },
      examples: {
        pass: [secureKubernetesFacts()],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { allowPrivilegeEscalation: undefined } } }),
          secureKubernetesFacts({ container: { securityContext: { allowPrivilegeEscalation: true } } }),
          secureKubernetesFacts({ container: { securityContext: { privileged: true } } }),
          secureKubernetesFacts({
            container: { securityContext: { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } },
          }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when HostConfig.SecurityOpt has none of no-new-privileges, no-new-privileges:true, no-new-privileges=true, or the container is privileged.",
      evaluate(facts) {
        if (facts.container.HostConfig.Privileged === true)
          return fail("HostConfig.Privileged is true", { fieldPath: "HostConfig.Privileged" });
        const options = securityOptions(facts.container);
        if (options.some((o) => NO_NEW_PRIVILEGES.includes(o.trim().toLowerCase())))
          return pass("HostConfig.SecurityOpt has no-new-privileges", { fieldPath: "HostConfig.SecurityOpt" });
        return fail(
          `HostConfig.SecurityOpt is ${JSON.stringify(facts.container.HostConfig.SecurityOpt ?? null)}, without no-new-privileges`,
          { fieldPath: "HostConfig.SecurityOpt" },
        );
      },
      fix(facts) {
        const options = securityOptions(facts.container);
        const disabled = options.filter((o) => /^no-new-privileges[:=]false$/i.test(o.trim()));
        const privileged = facts.container.HostConfig.Privileged === true;
        const kept = options.filter(
          (o) => !disabled.includes(o) && o !== "label=disable" && !NO_NEW_PRIVILEGES.includes(o),
        );
        return {
          add: ["--security-opt=no-new-privileges:true"],
          remove: [...disabled.map((o) => `--security-opt=${o}`), ...(privileged ? ["--privileged"] : [])],
          compose: { security_opt: [...kept, "no-new-privileges:true"], ...(privileged ? { privileged: false } : {}) },
        };
      },
      examples: {
        pass: ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"].map((o) =>
          secureDockerFacts({ container: { HostConfig: { SecurityOpt: [o] } } }),
        ),
        fail: [
          secureDockerFacts({ container: { HostConfig: { SecurityOpt: null } } }),
          secureDockerFacts({ container: { HostConfig: { SecurityOpt: ["no-new-privileges:false"] } } }),
          secureDockerFacts({
            container: { HostConfig: { Privileged: true, SecurityOpt: ["label=disable", "no-new-privileges"] } },
          }),
        ],
      },
    },
  },
});
