import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const POD_FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;
const DOCKER_FIELDS = ["NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode"] as const;
const DOCKER_FLAGS: Record<(typeof DOCKER_FIELDS)[number], { flag: string; compose: string }> = {
  NetworkMode: { flag: "--network=host", compose: "network_mode" },
  PidMode: { flag: "--pid=host", compose: "pid" },
  IpcMode: { flag: "--ipc=host", compose: "ipc" },
  UTSMode: { flag: "--uts=host", compose: "uts" },
  UsernsMode: { flag: "--userns=host", compose: "userns_mode" },
};

export const noHostNamespaces = defineCheck({
  id: "no-host-namespaces",
  title: "Do not share host namespaces",
  severity: "high",
  category: "isolation",
  seed: true,
  rationale:
    "Namespaces are what make a container a container. Sharing the host's network, PID, IPC or UTS namespace lets the process see and talk to host services, signal or trace host processes, and read shared memory of other workloads.",
  threat: "A compromised container sniffs host traffic, reaches node-local services or attaches to host processes.",
  references: {
    cisKubernetes: ["5.2.3", "5.2.4", "5.2.5"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.10", "5.16", "5.17", "5.21", "5.31"],
    podSecurity: ["hostNamespaces"],
    polaris: ["hostNetworkSet", "hostPIDSet", "hostIPCSet"],
    kubescape: ["C-0038", "C-0041"],
  },
  fixSummary:
    "Stop sharing the host's network, PID, IPC, UTS or user namespace; expose ports through a Service or -p instead.",
  platforms: {
    kubernetes: {
      judged: "Fails when spec.hostNetwork, spec.hostPID or spec.hostIPC is true, naming which.",
      evaluate(facts) {
        const shared = POD_FIELDS.filter((field) => facts.pod.spec[field] === true);
        const first = shared[0];
        if (first)
          return fail(`${shared.map((f) => `${f} is true`).join(", ")}`, { fieldPath: `${facts.specPath}.${first}` });
        return pass("hostNetwork, hostPID and hostIPC are not set", { fieldPath: facts.specPath });
      },
      fix(facts) {
        const pod = Object.fromEntries(POD_FIELDS.filter((f) => facts.pod.spec[f] === true).map((f) => [f, false]));
        return { pod };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ pod: { spec: { hostNetwork: false, hostPID: false } } }),
        ],
        fail: POD_FIELDS.map((field) => secureKubernetesFacts({ pod: { spec: { [field]: true } } })),
      },
    },
    docker: {
      judged: "Fails when HostConfig.NetworkMode, PidMode, IpcMode, UTSMode or UsernsMode is host, naming which.",
      evaluate(facts) {
        const shared = DOCKER_FIELDS.filter((field) => facts.container.HostConfig[field] === "host");
        const first = shared[0];
        if (first)
          return fail(`${shared.map((f) => `HostConfig.${f} is host`).join(", ")}`, {
            fieldPath: `HostConfig.${first}`,
          });
        return pass("No host namespace is shared", { fieldPath: "HostConfig" });
      },
      fix(facts) {
        const shared = DOCKER_FIELDS.filter((field) => facts.container.HostConfig[field] === "host");
        return {
          remove: shared.map((f) => DOCKER_FLAGS[f].flag),
          compose: Object.fromEntries(shared.map((f) => [DOCKER_FLAGS[f].compose, null])),
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { HostConfig: { NetworkMode: "none", IpcMode: "shareable" } } }),
        ],
        fail: DOCKER_FIELDS.map((field) => secureDockerFacts({ container: { HostConfig: { [field]: "host" } } })),
      },
    },
  },
});
