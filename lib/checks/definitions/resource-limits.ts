import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { containerPath } from "@/lib/domain/facts";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const DEFAULT_LIMITS = { memory: "512Mi", cpu: "500m" };

const isSet = (value: string | number | undefined) => value !== undefined && value !== null && value !== "";

export const resourceLimits = defineCheck({
  id: "resource-limits",
  title: "Set memory, CPU and process limits",
  severity: "low",
  category: "resources",
  seed: false,
  rationale:
    "Without limits one container can take all the memory, CPU or process slots of its node, starving its neighbours and the node's own agents. Limits turn a runaway or hostile process into a contained failure.",
  threat: "A fork bomb, memory leak or crypto-miner in one container takes the whole node down.",
  references: {
    nsaCisa: ["resource-policies"],
    cisDocker: ["5.11", "5.12", "5.29"],
    polaris: ["cpuLimitsMissing", "memoryLimitsMissing"],
    kubescape: ["C-0270", "C-0271"],
  },
  fixSummary: "Set memory and CPU limits (and on Docker a PIDs limit) sized from the container's observed usage.",
  platforms: {
    kubernetes: {
      judged: "Fails when resources.limits.memory or resources.limits.cpu is unset.",
      evaluate(facts) {
        const limits = facts.container.resources?.limits ?? {};
        const missing = (["memory", "cpu"] as const).filter((key) => !isSet(limits[key]));
        const fieldPath = `${containerPath(facts)}.resources.limits`;
        if (missing.length > 0)
          return fail(
            `resources.limits.${missing.join(" and resources.limits.")} ${missing.length > 1 ? "are" : "is"} unset`,
            { fieldPath: `${fieldPath}.${missing[0]}` },
          );
        return pass(`limits are memory ${limits.memory}, cpu ${limits.cpu}`, { fieldPath });
      },
      fix(facts) {
        const resources = facts.container.resources;
        const limit = (key: "memory" | "cpu") =>
          resources?.limits?.[key] ?? resources?.requests?.[key] ?? DEFAULT_LIMITS[key];
        return { container: { resources: { limits: { memory: limit("memory"), cpu: limit("cpu") } } } };
      },
      examples: {
        pass: [secureKubernetesFacts()],
        fail: [
          secureKubernetesFacts({ container: { resources: { limits: { memory: undefined } } } }),
          secureKubernetesFacts({ container: { resources: { limits: { cpu: undefined } } } }),
          secureKubernetesFacts({ container: { resources: undefined } }),
        ],
      },
    },
    docker: {
      judged: "Fails when HostConfig.Memory is 0, both NanoCpus and CpuQuota are 0, or PidsLimit is unset, 0 or -1.",
      evaluate(facts) {
        const host = facts.container.HostConfig;
        if (!host.Memory) return fail("HostConfig.Memory is 0 (no memory limit)", { fieldPath: "HostConfig.Memory" });
        if (!host.NanoCpus && !host.CpuQuota)
          return fail("HostConfig.NanoCpus and CpuQuota are 0 (no CPU limit)", { fieldPath: "HostConfig.NanoCpus" });
        const pids = host.PidsLimit;
        if (pids === undefined || pids === null || pids <= 0)
          return fail(`HostConfig.PidsLimit is ${pids ?? "unset"}`, { fieldPath: "HostConfig.PidsLimit" });
        return pass(`Memory ${host.Memory} bytes, CPU limited, PidsLimit ${pids}`, { fieldPath: "HostConfig" });
      },
      fix(facts) {
        const host = facts.container.HostConfig;
        const add = [
          ...(host.Memory ? [] : ["--memory=512m"]),
          ...(host.NanoCpus || host.CpuQuota ? [] : ["--cpus=1"]),
          ...((host.PidsLimit ?? 0) > 0 ? [] : ["--pids-limit=256"]),
        ];
        // Only the limits that are missing: a limit the user set stays.
        const compose = {
          ...(host.Memory ? {} : { mem_limit: "512m" }),
          ...(host.NanoCpus || host.CpuQuota ? {} : { cpus: 1 }),
          ...((host.PidsLimit ?? 0) > 0 ? {} : { pids_limit: 256 }),
        };
        return { add, compose };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { HostConfig: { NanoCpus: 0, CpuQuota: 50_000 } } }),
        ],
        fail: [
          secureDockerFacts({ container: { HostConfig: { Memory: 0 } } }),
          secureDockerFacts({ container: { HostConfig: { NanoCpus: 0, CpuQuota: 0 } } }),
          secureDockerFacts({ container: { HostConfig: { PidsLimit: -1 } } }),
          secureDockerFacts({ container: { HostConfig: { PidsLimit: null } } }),
        ],
      },
    },
  },
});
