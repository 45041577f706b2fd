import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { containerPath } from "@/lib/domain/facts";
import type { DockerContainer } from "@/lib/domain/docker";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const ALL_INTERFACES = ["", "0.0.0.0", "::"];

function openBindings(container: DockerContainer): { port: string; hostPort: string; fieldPath: string }[] {
  const sources = [
    { field: "HostConfig.PortBindings", bindings: container.HostConfig.PortBindings },
    { field: "NetworkSettings.Ports", bindings: container.NetworkSettings?.Ports },
  ];
  for (const { field, bindings } of sources) {
    const open = Object.entries(bindings ?? {}).flatMap(([port, list]) =>
      (list ?? []).flatMap((b, i) =>
        ALL_INTERFACES.includes(b.HostIp ?? "")
          ? [{ port, hostPort: b.HostPort ?? "", fieldPath: `${field}["${port}"][${i}].HostIp` }]
          : [],
      ),
    );
    if (open.length > 0) return open;
  }
  return [];
}

export const noHostPorts = defineCheck({
  id: "no-host-ports",
  title: "Do not publish ports on every host interface",
  severity: "medium",
  category: "network",
  seed: false,
  rationale:
    "A hostPort or a port published on 0.0.0.0 exposes the container directly on the node's interfaces, bypassing Services, NetworkPolicies and load balancers. Binding to a specific address, or using a Service, keeps exposure deliberate.",
  threat: "An internal service becomes reachable from any network the host is on, including the internet.",
  references: {
    cisKubernetes: ["5.2.12"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.14"],
    podSecurity: ["hostPorts"],
    polaris: ["hostPortSet"],
    kubescape: ["C-0044"],
  },
  fixSummary:
    "Remove hostPort and expose the pod through a Service; on Docker, publish on 127.0.0.1 or a specific interface.",
  platforms: {
    kubernetes: {
      judged: "Fails when any ports[].hostPort is set and non-zero.",
      evaluate(facts) {
        const ports = facts.container.ports ?? [];
        const index = ports.findIndex((p) => (p.hostPort ?? 0) !== 0);
        const port = ports[index];
        if (port)
          return fail(`ports[${index}].hostPort is ${port.hostPort}`, {
            fieldPath: `${containerPath(facts)}.ports[${index}].hostPort`,
          });
        return pass("No hostPort is set", { fieldPath: `${containerPath(facts)}.ports` });
      },
      fix(facts) {
        const ports = (facts.container.ports ?? []).filter((p) => (p.hostPort ?? 0) !== 0);
        return {
          container: {
            ports: ports.map((p) => ({
              containerPort: p.containerPort,
              ...(p.protocol ? { protocol: p.protocol } : {}),
              hostPort: null,
            })),
          },
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({ container: { ports: [{ containerPort: 8080, hostPort: 0 }] } }),
        ],
        fail: [secureKubernetesFacts({ container: { ports: [{ containerPort: 8080, hostPort: 8080 }] } })],
      },
    },
    docker: {
      judged: "Fails when a published port is bound to all interfaces (HostIp empty, 0.0.0.0 or ::).",
      evaluate(facts) {
        const open = openBindings(facts.container)[0];
        if (open)
          return fail(`Port ${open.port} is published on all interfaces (host port ${open.hostPort || "random"})`, {
            fieldPath: open.fieldPath,
          });
        return pass("No port is published on all interfaces", { fieldPath: "HostConfig.PortBindings" });
      },
      fix(facts) {
        const open = openBindings(facts.container);
        const mapping = (o: { port: string; hostPort: string }) =>
          `${o.hostPort ? `${o.hostPort}:` : ""}${o.port.replace("/tcp", "")}`;
        return {
          remove: open.map((o) => `--publish=${mapping(o)}`),
          add: open.map((o) => `--publish=127.0.0.1:${mapping(o)}`),
          compose: { ports: open.map((o) => `127.0.0.1:${mapping(o)}`) },
        };
      },
      examples: {
        pass: [secureDockerFacts()],
        fail: ["", "0.0.0.0", "::"].map((HostIp) =>
          secureDockerFacts({
            container: {
              HostConfig: { PortBindings: { "8080/tcp": [{ HostIp, HostPort: "8080" }] } },
              NetworkSettings: { Ports: { "8080/tcp": [{ HostIp, HostPort: "8080" }] } },
            },
          }),
        ),
      },
    },
  },
});
