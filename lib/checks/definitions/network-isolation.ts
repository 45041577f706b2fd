import { defineCheck, fail, notEvaluated, pass } from "@/lib/checks/define-check";
import { podMetadataPath } from "@/lib/checks/support/kubernetes";
import {
  ICC_OPTION as ICC,
  attachedNetworks,
  describePolicy,
  policyTypes,
  selectingPolicies,
} from "@/lib/checks/support/networks";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

export const networkIsolation = defineCheck({
  id: "network-isolation",
  title: "Isolate container network traffic",
  severity: "medium",
  category: "network",
  seed: true,
  rationale:
    "By default every pod accepts traffic from every other pod, and containers on Docker's default bridge can reach each other freely. A default-deny NetworkPolicy, or a dedicated Docker network, limits what a compromised neighbour can reach.",
  threat: "One compromised workload scans and attacks every other service on the cluster network or host bridge.",
  references: {
    cisKubernetes: ["5.3.2"],
    nsaCisa: ["network-policies"],
    cisDocker: ["2.2", "5.30"],
    polaris: ["missingNetworkPolicy"],
    kubescape: ["C-0260"],
  },
  fixSummary:
    "Add a default-deny ingress NetworkPolicy selecting the pod (Kubernetes) or attach the container to a user-defined network (Docker).",
  platforms: {
    kubernetes: {
      judged:
        "Fails when no NetworkPolicy in the pod's namespace selects the pod with Ingress among its policy types; evidence names the policies and whether Egress is limited.",
      evaluate(facts) {
        if ("unavailable" in facts.networkPolicies)
          return notEvaluated(`NetworkPolicies could not be read: ${facts.networkPolicies.unavailable}`);
        const namespace = facts.workload.namespace;
        const selecting = selectingPolicies(facts, facts.networkPolicies.value);
        const ingress = selecting.filter((p) => policyTypes(p).includes("Ingress"));
        const fieldPath = `${podMetadataPath(facts.specPath)}.labels`;
        if (ingress.length === 0) {
          const others =
            selecting.length > 0 ? ` (${selecting.map(describePolicy).join(", ")} select it for Egress only)` : "";
          return fail(`No NetworkPolicy in namespace "${namespace}" limits ingress to this pod${others}`, {
            fieldPath,
          });
        }
        const egress = selecting.some((p) => policyTypes(p).includes("Egress"));
        return pass(
          `Ingress limited by ${ingress.map(describePolicy).join(", ")}; Egress ${egress ? "limited too" : "not limited"}`,
          { fieldPath },
        );
      },
      fix(facts) {
        const labels = facts.pod.metadata.labels ?? {};
        const podSelector = Object.keys(labels).length > 0 ? { matchLabels: labels } : {};
        const metadata = {
          name: `${facts.workload.name}-default-deny-ingress`,
          ...(facts.workload.namespace ? { namespace: facts.workload.namespace } : {}),
        };
        return {
          manifest: {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata,
            spec: { podSelector, policyTypes: ["Ingress"] },
          },
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            networkPolicies: {
              value: [{ metadata: { name: "deny-all", namespace: "shop" }, spec: { podSelector: {} } }],
            },
          }),
        ],
        fail: [
          secureKubernetesFacts({ networkPolicies: { value: [] } }),
          secureKubernetesFacts({
            networkPolicies: {
              value: [
                {
                  metadata: { name: "other", namespace: "shop" },
                  spec: { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"] },
                },
              ],
            },
          }),
          secureKubernetesFacts({
            networkPolicies: {
              value: [
                { metadata: { name: "egress", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Egress"] } },
              ],
            },
          }),
        ],
      },
    },
    docker: {
      judged:
        'Fails when NetworkMode is host, or the container is on the default bridge network while its enable_icc option is not "false"; none and user-defined networks pass.',
      evaluate(facts) {
        const mode = facts.container.HostConfig.NetworkMode ?? "default";
        if (mode === "host") return fail("HostConfig.NetworkMode is host", { fieldPath: "HostConfig.NetworkMode" });
        if (mode.startsWith("container:"))
          return notEvaluated(`HostConfig.NetworkMode is ${mode}: the network belongs to another container`);
        const attached = attachedNetworks(facts);
        if (!attached.includes("bridge"))
          return pass(`Attached to ${attached.join(", ")}, not the default bridge`, {
            fieldPath: "NetworkSettings.Networks",
          });
        if (!facts.networks)
          return notEvaluated("The container is on the default bridge and the host's networks were not read");
        const icc = facts.networks.find((n) => n.Name === "bridge")?.Options?.[ICC];
        if (icc === "false")
          return pass(`On the default bridge with ${ICC} "false"`, { fieldPath: "NetworkSettings.Networks.bridge" });
        return fail(
          `On the default bridge network, whose ${ICC} is ${icc === undefined ? "not set (true)" : `"${icc}"`}`,
          {
            fieldPath: "NetworkSettings.Networks.bridge",
          },
        );
      },
      fix(facts) {
        const mode = facts.container.HostConfig.NetworkMode ?? "default";
        const network = `${facts.workload.namespace || facts.name}-net`;
        return {
          add: [`--network=${network}`],
          // The default bridge is left whether it is the network mode or a further network the container joined.
          remove:
            mode === "host"
              ? ["--network=host"]
              : mode === "bridge" || attachedNetworks(facts).includes("bridge")
                ? ["--network=bridge"]
                : [],
          compose: { network_mode: null, networks: [network] },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({
            container: {
              HostConfig: { NetworkMode: "none" },
              NetworkSettings: { Networks: { "app-net": undefined, none: {} } },
            },
          }),
          secureDockerFacts({
            container: {
              HostConfig: { NetworkMode: "bridge" },
              NetworkSettings: { Networks: { "app-net": undefined, bridge: {} } },
            },
            networks: [{ Name: "bridge", Id: "n1", Options: { [ICC]: "false" } }],
          }),
        ],
        fail: [
          secureDockerFacts({
            container: {
              HostConfig: { NetworkMode: "host" },
              NetworkSettings: { Networks: { "app-net": undefined, host: {} } },
            },
          }),
          secureDockerFacts({
            container: {
              HostConfig: { NetworkMode: "bridge" },
              NetworkSettings: { Networks: { "app-net": undefined, bridge: {} } },
            },
          }),
        ],
      },
    },
  },
});
