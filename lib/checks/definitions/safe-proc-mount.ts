import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { hasSecurityOption, isPrivileged } from "@/lib/checks/support/docker";
import { securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const safeProcMount = defineCheck({
  id: "safe-proc-mount",
  title: "Keep /proc masked",
  severity: "medium",
  category: "isolation",
  seed: false,
  rationale:
    "Runtimes mask and make read-only parts of /proc and /sys (kcore, sysrq-trigger, kernel keys) that leak host information or control the kernel. An Unmasked procMount or systempaths=unconfined exposes them to the container.",
  threat:
    "A compromised container reads host memory interfaces or triggers kernel actions through unmasked /proc paths.",
  references: { cisKubernetes: ["5.6.3"], nsaCisa: ["pod-security-enforcement"], podSecurity: ["procMount"] },
  fixSummary: "Remove procMount (Kubernetes) or --security-opt systempaths=unconfined (Docker) so /proc stays masked.",
  platforms: {
    kubernetes: {
      judged: "Fails when securityContext.procMount is set to anything but Default.",
      evaluate(facts) {
        const value = facts.container.securityContext?.procMount;
        const fieldPath = `${securityContextPath(facts)}.procMount`;
        if (value !== undefined && value !== null && value !== "Default")
          return fail(`procMount is ${value}`, { fieldPath });
        return pass(`procMount is ${value ?? "not set"}`, { fieldPath });
      },
      fix: () => ({ container: { securityContext: { procMount: null } } }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { securityContext: { procMount: "Default" } } }),
        ],
        fail: [secureKubernetesFacts({ container: { securityContext: { procMount: "Unmasked" } } })],
      },
    },
    docker: {
      judged:
        "Fails when HostConfig.SecurityOpt has systempaths=unconfined, HostConfig.MaskedPaths is empty (how the daemon records that option), or the container is privileged (privileged containers have no masked paths).",
      evaluate(facts) {
        if (hasSecurityOption(facts.container, "systempaths", "unconfined"))
          return fail("HostConfig.SecurityOpt has systempaths=unconfined", { fieldPath: "HostConfig.SecurityOpt" });
        if (isPrivileged(facts.container))
          return fail("HostConfig.Privileged is true: a privileged container has no masked /proc and /sys paths", {
            fieldPath: "HostConfig.Privileged",
          });
        const masked = facts.container.HostConfig.MaskedPaths;
        if (Array.isArray(masked) && masked.length === 0)
          return fail("HostConfig.MaskedPaths is empty: /proc and /sys paths are unmasked (systempaths=unconfined)", {
            fieldPath: "HostConfig.MaskedPaths",
          });
        if (Array.isArray(masked))
          return pass(`HostConfig.MaskedPaths masks ${masked.length} paths`, { fieldPath: "HostConfig.MaskedPaths" });
        return pass("HostConfig.SecurityOpt has no systempaths=unconfined (HostConfig.MaskedPaths not reported)", {
          fieldPath: "HostConfig.SecurityOpt",
        });
      },
      fix(facts) {
        if (isPrivileged(facts.container)) return { remove: ["--privileged"], compose: { privileged: false } };
        const options = (facts.container.HostConfig.SecurityOpt ?? []).filter((o) =>
          /^systempaths[=:]unconfined$/i.test(o),
        );
        const removed = options.length > 0 ? options : ["systempaths=unconfined"];
        return { remove: removed.map((o) => `--security-opt=${o}`) };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { HostConfig: { MaskedPaths: ["/proc/kcore", "/proc/keys"] } } }),
        ],
        fail: [
          secureDockerFacts({
            container: { HostConfig: { SecurityOpt: ["no-new-privileges", "systempaths=unconfined"] } },
          }),
          secureDockerFacts({ container: { HostConfig: { MaskedPaths: [] } } }),
          secureDockerFacts({ container: { HostConfig: { Privileged: true, MaskedPaths: null } } }),
        ],
      },
    },
  },
});
