import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { normalizeCapability } from "@/lib/checks/support/docker";
import {
  addedCapabilities,
  droppedCapabilities,
  isPrivileged,
  securityContextPath,
} from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const ALLOWED = "NET_BIND_SERVICE";

export const dropAllCapabilities = defineCheck({
  id: "drop-all-capabilities",
  title: "Drop all capabilities",
  severity: "high",
  category: "privileges",
  seed: true,
  rationale:
    "Container runtimes grant a default set of Linux capabilities (raw sockets, chown, setuid, …) that most applications never use. Dropping ALL and adding back only NET_BIND_SERVICE when a low port is needed removes kernel attack surface an intruder would otherwise inherit.",
  threat:
    "Default capabilities such as NET_RAW or SETUID help an attacker spoof traffic or escalate inside the container.",
  references: {
    cisKubernetes: ["5.2.8", "5.2.9"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.4"],
    podSecurity: ["capabilities_restricted"],
    polaris: ["insecureCapabilities", "dangerousCapabilities"],
    kubescape: ["C-0046"],
  },
  fixSummary: "Drop ALL capabilities and add back only NET_BIND_SERVICE if the process binds a port below 1024.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when capabilities.drop lacks the literal ALL, capabilities.add holds anything but the literal NET_BIND_SERVICE, or the container is privileged.",
      evaluate(facts) {
        const path = `${securityContextPath(facts)}`;
        if (isPrivileged(facts.container))
          return fail("privileged is true: every capability is granted", { fieldPath: `${path}.privileged` });
        const drop = droppedCapabilities(facts.container);
        if (!drop.includes("ALL"))
          return fail(`capabilities.drop is ${JSON.stringify(drop)}, without ALL`, {
            fieldPath: `${path}.capabilities.drop`,
          });
        const extra = addedCapabilities(facts.container).filter((c) => c !== ALLOWED);
        if (extra.length > 0)
          return fail(`capabilities.add has ${extra.join(", ")}`, { fieldPath: `${path}.capabilities.add` });
        return pass("capabilities.drop has ALL and nothing but NET_BIND_SERVICE is added", {
          fieldPath: `${path}.capabilities`,
        });
      },
      fix(facts) {
        const keep = addedCapabilities(facts.container).includes(ALLOWED);
        const privileged = isPrivileged(facts.container) ? { privileged: false } : {};
        return {
          container: {
            securityContext: { ...privileged, capabilities: { drop: ["ALL"], add: keep ? [ALLOWED] : null } },
          },
        };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            container: { securityContext: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } },
          }),
        ],
        fail: [
          secureKubernetesFacts({ container: { securityContext: { capabilities: { drop: ["all"] } } } }),
          secureKubernetesFacts({
            container: { securityContext: { capabilities: { drop: ["ALL"], add: ["CAP_NET_BIND_SERVICE"] } } },
          }),
          secureKubernetesFacts({ container: { securityContext: { capabilities: undefined } } }),
          secureKubernetesFacts({ container: { securityContext: { privileged: true } } }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when HostConfig.CapDrop lacks ALL, CapAdd holds anything but NET_BIND_SERVICE (compared case-insensitively, CAP_ prefix ignored), or the container is privileged.",
      evaluate(facts) {
        const host = facts.container.HostConfig;
        if (host.Privileged === true)
          return fail("HostConfig.Privileged is true: every capability is granted", {
            fieldPath: "HostConfig.Privileged",
          });
        const drop = host.CapDrop ?? [];
        if (!drop.map(normalizeCapability).includes("ALL"))
          return fail(`HostConfig.CapDrop is ${JSON.stringify(host.CapDrop ?? null)}, without ALL`, {
            fieldPath: "HostConfig.CapDrop",
          });
        const extra = (host.CapAdd ?? []).filter((c) => normalizeCapability(c) !== ALLOWED);
        if (extra.length > 0)
          return fail(`HostConfig.CapAdd has ${extra.join(", ")}`, { fieldPath: "HostConfig.CapAdd" });
        return pass("HostConfig.CapDrop has ALL and nothing but NET_BIND_SERVICE is added", {
          fieldPath: "HostConfig.CapDrop",
        });
      },
      fix(facts) {
        const host = facts.container.HostConfig;
        const extra = (host.CapAdd ?? []).filter((c) => normalizeCapability(c) !== ALLOWED);
        const keep = (host.CapAdd ?? []).some((c) => normalizeCapability(c) === ALLOWED);
        return {
          add: ["--cap-drop=ALL"],
          remove: [...extra.map((c) => `--cap-add=${c}`), ...(host.Privileged ? ["--privileged"] : [])],
          compose: {
            cap_drop: ["ALL"],
            cap_add: keep ? [ALLOWED] : null,
            ...(host.Privileged ? { privileged: false } : {}),
          },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ container: { HostConfig: { CapDrop: ["all"], CapAdd: ["cap_net_bind_service"] } } }),
        ],
        fail: [
          secureDockerFacts({ container: { HostConfig: { CapDrop: null } } }),
          secureDockerFacts({ container: { HostConfig: { CapAdd: ["cap_sys_admin"] } } }),
          secureDockerFacts({ container: { HostConfig: { Privileged: true } } }),
        ],
      },
    },
  },
});
