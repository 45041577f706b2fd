import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { listMounts, normalizeHostPath } from "@/lib/checks/support/docker";
import { mountedHostPaths, replaceHostPathVolumes } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const SENSITIVE = ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"];

export const noSensitiveHostMounts = defineCheck({
  id: "no-sensitive-host-mounts",
  title: "Do not mount host system directories",
  severity: "high",
  category: "filesystem",
  seed: false,
  rationale:
    "A writable mount of a host system directory lets the container change the node's configuration, binaries or devices. Kubernetes' baseline policy forbids hostPath volumes altogether because any host path can lead to the same result.",
  threat: "A compromised container edits /etc, replaces host binaries or writes to devices and takes over the node.",
  references: {
    cisKubernetes: ["5.2.11"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.6"],
    podSecurity: ["hostPathVolumes"],
    polaris: ["hostPathSet"],
    kubescape: ["C-0045", "C-0048"],
  },
  fixSummary:
    "Replace host directory mounts with volumes (emptyDir, PVC, ConfigMap, named volume), or mount read-only only what is needed.",
  platforms: {
    kubernetes: {
      judged: "Fails when the container mounts a hostPath volume, whatever its path.",
      evaluate(facts) {
        const hostPath = mountedHostPaths(facts)[0];
        if (hostPath)
          return fail(`Mounts hostPath volume "${hostPath.name}" (${hostPath.path})`, {
            fieldPath: `${facts.specPath}.volumes[${hostPath.volumeIndex}].hostPath.path`,
          });
        return pass("Mounts no hostPath volume", { fieldPath: `${facts.specPath}.volumes` });
      },
      fix: (facts) => ({ pod: replaceHostPathVolumes(mountedHostPaths(facts).map((v) => v.name)) }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            pod: {
              spec: {
                volumes: [
                  { name: "tmp", emptyDir: {} },
                  { name: "logs", hostPath: { path: "/var/log" } },
                ],
              },
            },
          }),
        ],
        fail: [secureKubernetesFacts({ pod: { spec: { volumes: [{ name: "tmp", hostPath: { path: "/tmp" } }] } } })],
      },
    },
    docker: {
      judged: `Fails on a read-write bind mount whose source is exactly one of ${SENSITIVE.join(", ")}.`,
      evaluate(facts) {
        const sensitive = listMounts(facts.container).find(
          (m) => m.type === "bind" && m.readWrite && SENSITIVE.includes(normalizeHostPath(m.source)),
        );
        if (sensitive)
          return fail(`Read-write bind mount of host ${sensitive.source} at ${sensitive.destination}`, {
            fieldPath: sensitive.fieldPath,
          });
        return pass("No read-write bind mount of a host system directory", { fieldPath: "Mounts" });
      },
      fix(facts) {
        const sensitive = listMounts(facts.container).filter(
          (m) => m.type === "bind" && m.readWrite && SENSITIVE.includes(normalizeHostPath(m.source)),
        );
        return {
          remove: sensitive.map((m) => `--volume=${m.source}:${m.destination}`),
          add: sensitive.map((m) => `--volume=${m.source}:${m.destination}:ro`),
          compose: { volumes: sensitive.map((m) => `${m.source}:${m.destination}:ro`) },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({
            container: { Mounts: [{ Type: "bind", Source: "/etc", Destination: "/host-etc", RW: false }] },
          }),
          secureDockerFacts({
            container: { Mounts: [{ Type: "bind", Source: "/etc/app", Destination: "/config", RW: true }] },
          }),
        ],
        fail: [
          secureDockerFacts({
            container: { Mounts: [{ Type: "bind", Source: "/etc/", Destination: "/host-etc", RW: true }] },
          }),
          secureDockerFacts({ container: { Mounts: [{ Type: "bind", Source: "/", Destination: "/host", RW: true }] } }),
          secureDockerFacts({ container: { Mounts: null, HostConfig: { Binds: ["/proc:/host/proc"] } } }),
        ],
      },
    },
  },
});
