import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { securityContextPath } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const readOnlyRootFilesystem = defineCheck({
  id: "read-only-root-filesystem",
  title: "Mount the root filesystem read-only",
  severity: "medium",
  category: "filesystem",
  seed: true,
  rationale:
    "A writable root filesystem lets an intruder drop tools, alter binaries and persist changes for the life of the container. A read-only root, with explicit writable volumes for the few paths that need them, makes the image the only code that runs.",
  threat: "An attacker who gets code execution writes and runs their own binaries or tampers with the application.",
  references: {
    cisKubernetes: ["5.6.3"],
    nsaCisa: ["immutable-file-systems"],
    cisDocker: ["5.13"],
    polaris: ["notReadOnlyRootFilesystem"],
    kubescape: ["C-0017"],
  },
  fixSummary:
    "Make the root filesystem read-only and mount writable volumes (emptyDir, tmpfs) only where the application writes.",
  platforms: {
    kubernetes: {
      judged:
        "Fails unless the container's securityContext.readOnlyRootFilesystem is true (there is no pod-level field).",
      evaluate(facts) {
        const value = facts.container.securityContext?.readOnlyRootFilesystem;
        const fieldPath = `${securityContextPath(facts)}.readOnlyRootFilesystem`;
        if (value === true) return pass("readOnlyRootFilesystem is true", { fieldPath });
        return fail(`readOnlyRootFilesystem is ${value === false ? "false" : "not set"}`, { fieldPath });
      },
      fix: () => ({ container: { securityContext: { readOnlyRootFilesystem: true } } }),
      examples: {
        pass: [secureKubernetesFacts()],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { readOnlyRootFilesystem: false } } }),
          secureKubernetesFacts({ container: { securityContext: { readOnlyRootFilesystem: undefined } } }),
          secureKubernetesFacts({ container: { securityContext: undefined } }),
        ],
      },
    },
    docker: {
      judged: "Fails unless HostConfig.ReadonlyRootfs is true.",
      evaluate(facts) {
        const value = facts.container.HostConfig.ReadonlyRootfs;
        if (value === true)
          return pass("HostConfig.ReadonlyRootfs is true", { fieldPath: "HostConfig.ReadonlyRootfs" });
        return fail(`HostConfig.ReadonlyRootfs is ${value === false ? "false" : "not set"}`, {
          fieldPath: "HostConfig.ReadonlyRootfs",
        });
      },
      fix: () => ({ add: ["--read-only", "--tmpfs=/tmp"], compose: { read_only: true, tmpfs: ["/tmp"] } }),
      examples: {
        pass: [secureDockerFacts()],
        fail: [
          secureDockerFacts({ container: { HostConfig: { ReadonlyRootfs: false } } }),
          secureDockerFacts({ container: { HostConfig: { ReadonlyRootfs: null } } }),
        ],
      },
    },
  },
});
