import { defineCheck, fail, notEvaluated, pass } from "@/lib/checks/define-check";
import { hasSecurityOption } from "@/lib/checks/support/docker";
import { effective, isPrivileged, securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const seccompProfile = defineCheck({
  id: "seccomp-profile",
  title: "Confine system calls with seccomp",
  severity: "medium",
  category: "isolation",
  seed: true,
  rationale:
    "Seccomp filters which system calls a container may make; the runtime's default profile blocks dozens that are rarely needed and often exploited (keyctl, unshare, mount). Running unconfined exposes the whole kernel syscall surface to a compromised process.",
  threat: "A kernel vulnerability reachable through an uncommon system call becomes a container escape.",
  references: {
    cisKubernetes: ["5.6.2"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.22"],
    podSecurity: ["seccompProfile_baseline", "seccompProfile_restricted"],
    kubescape: ["C-0210"],
  },
  fixSummary: "Use the runtime's default seccomp profile (RuntimeDefault) and never run unconfined or privileged.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when the effective seccompProfile.type is unset or Unconfined, or the container is privileged; RuntimeDefault and Localhost pass.",
      evaluate(facts) {
        if (isPrivileged(facts.container))
          return fail("privileged is true: seccomp is disabled", {
            fieldPath: `${securityContextPath(facts)}.privileged`,
          });
        const profile = effective(facts, "seccompProfile");
        const type = profile.value?.type;
        const fieldPath = `${profile.path}.type`;
        if (type === "RuntimeDefault" || type === "Localhost")
          return pass(`seccompProfile.type is ${type} at ${profile.level} level`, { fieldPath });
        return fail(
          type
            ? `seccompProfile.type is ${type} at ${profile.level} level`
            : "seccompProfile is not set at container or pod level",
          { fieldPath },
        );
      },
      fix(facts) {
        const privileged = isPrivileged(facts.container) ? { privileged: false } : {};
        return {
          container: {
            securityContext: { ...privileged, seccompProfile: { type: "RuntimeDefault", localhostProfile: null } },
          },
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { securityContext: { seccompProfile: undefined } } }),
          secureKubernetesFacts({
            container: {
              securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "profiles/web.json" } },
            },
          }),
        ],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { seccompProfile: { type: "Unconfined" } } } }),
          secureKubernetesFacts({
            container: { securityContext: { seccompProfile: undefined } },
            pod: { spec: { securityContext: { seccompProfile: undefined } } },
          }),
          secureKubernetesFacts({ container: { securityContext: { privileged: true } } }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when HostConfig.SecurityOpt has seccomp=unconfined (or seccomp:unconfined), the daemon lacks seccomp support, or the container is privileged; no option means Docker's default profile.",
      evaluate(facts) {
        const container = facts.container;
        if (container.HostConfig.Privileged === true)
          return fail("HostConfig.Privileged is true: seccomp is disabled", { fieldPath: "HostConfig.Privileged" });
        if (hasSecurityOption(container, "seccomp", "unconfined"))
          return fail("HostConfig.SecurityOpt has seccomp unconfined", { fieldPath: "HostConfig.SecurityOpt" });
        if (!facts.info) return notEvaluated("The daemon's /info was not read, so seccomp support is unknown");
        const options = facts.info.SecurityOptions ?? [];
        if (!options.some((o) => o.split(",").includes("name=seccomp")))
          return fail(`The daemon's SecurityOptions ${JSON.stringify(options)} lack name=seccomp`, {
            fieldPath: "Info.SecurityOptions",
          });
        const custom = (container.HostConfig.SecurityOpt ?? []).some((o) => /^seccomp[=:]/i.test(o));
        return pass(
          custom ? "HostConfig.SecurityOpt sets a seccomp profile" : "Docker's default seccomp profile applies",
          {
            fieldPath: "HostConfig.SecurityOpt",
          },
        );
      },
      fix(facts) {
        const options = facts.container.HostConfig.SecurityOpt ?? [];
        const unconfined = options.filter((o) => /^seccomp[=:]unconfined$/i.test(o));
        const kept = options.filter((o) => !unconfined.includes(o) && o !== "label=disable");
        const privileged = facts.container.HostConfig.Privileged === true;
        return {
          remove: [...unconfined.map((o) => `--security-opt=${o}`), ...(privileged ? ["--privileged"] : [])],
          compose: {
            ...(unconfined.length > 0 ? { security_opt: kept } : {}),
            ...(privileged ? { privileged: false } : {}),
          },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({
            container: { HostConfig: { SecurityOpt: ["no-new-privileges", "seccomp=/etc/docker/web.json"] } },
          }),
        ],
        fail: [
          secureDockerFacts({
            container: { HostConfig: { SecurityOpt: ["no-new-privileges", "seccomp=unconfined"] } },
          }),
          secureDockerFacts({
            container: { HostConfig: { SecurityOpt: ["no-new-privileges", "seccomp:unconfined"] } },
          }),
          secureDockerFacts({ info: { SecurityOptions: ["name=apparmor"] } }),
          secureDockerFacts({ container: { HostConfig: { Privileged: true, SecurityOpt: ["label=disable"] } } }),
        ],
      },
    },
  },
});
