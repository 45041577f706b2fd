import { defineCheck, fail, pass } from "@/lib/checks/define-check";
import { listMounts, normalizeHostPath } from "@/lib/checks/support/docker";
import { mountedHostPaths, replaceHostPathVolumes } from "@/lib/checks/support/kubernetes";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const EXACT_SOCKETS = ["/run/containerd/containerd.sock", "/run/crio/crio.sock"];
/** Mounting a directory that holds a socket hands out the socket too. */
const SOCKET_DIRECTORIES = ["/run", "/run/docker", "/run/containerd", "/run/crio", "/run/podman"];

/** `/var/run` is a symlink to `/run` on current distributions: both spellings reach the same socket. */
export function isRuntimeSocket(path: string): boolean {
  const normalized = normalizeHostPath(path).replace(/^\/var\/run(?=\/|$)/, "/run");
  return (
    normalized.endsWith("docker.sock") ||
    normalized.endsWith("podman.sock") ||
    EXACT_SOCKETS.includes(normalized) ||
    SOCKET_DIRECTORIES.includes(normalized)
  );
}

function describeSocket(path: string): string {
  return path.endsWith(".sock") ? `the runtime socket ${path}` : `${path}, the directory of a runtime socket`;
}

const SOCKET_DIRECTORY_EXAMPLES = ["/var/run", "/run", "/var/run/docker", "/run/containerd/", "/var/run/podman"];

export const noContainerRuntimeSocket = defineCheck({
  id: "no-container-runtime-socket",
  title: "Do not mount the container runtime socket",
  severity: "critical",
  category: "isolation",
  seed: false,
  rationale:
    "The Docker, Podman, containerd or CRI-O socket is an unauthenticated root API: whoever can write to it can start a privileged container with the host's root filesystem mounted. Mounting it into a container, even read-only, hands out control of the whole node.",
  threat: "A compromised container asks the runtime to start a privileged container and owns the host.",
  references: {
    cisKubernetes: ["5.2.11"],
    nsaCisa: ["pod-security-enforcement"],
    cisDocker: ["5.32"],
    podSecurity: ["hostPathVolumes"],
    kubescape: ["C-0074"],
  },
  fixSummary:
    "Remove the runtime socket mount; give tools that need the API a narrowly scoped proxy or a dedicated, isolated host.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when the container mounts a hostPath volume of a runtime socket (docker.sock, podman.sock, containerd.sock, crio.sock) or of a directory holding one (/run, /var/run, /run/docker, …).",
      evaluate(facts) {
        const socket = mountedHostPaths(facts).find((v) => isRuntimeSocket(v.path));
        if (socket)
          return fail(`Mounts hostPath volume "${socket.name}" of ${describeSocket(socket.path)}`, {
            fieldPath: `${facts.specPath}.volumes[${socket.volumeIndex}].hostPath.path`,
          });
        return pass("Mounts no container runtime socket", { fieldPath: `${facts.specPath}.volumes` });
      },
      fix: (facts) => ({
        pod: replaceHostPathVolumes(
          mountedHostPaths(facts)
            .filter((v) => isRuntimeSocket(v.path))
            .map((v) => v.name),
        ),
      }),
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            pod: { spec: { volumes: [{ name: "tmp", hostPath: { path: "/run/app-cache" } }] } },
          }),
        ],
        fail: [
          "/var/run/docker.sock",
          "/run/containerd/containerd.sock",
          "/var/run/crio/crio.sock",
          ...SOCKET_DIRECTORY_EXAMPLES,
        ].map((path) => secureKubernetesFacts({ pod: { spec: { volumes: [{ name: "tmp", hostPath: { path } }] } } })),
      },
    },
    docker: {
      judged:
        "Fails when a mount source ends in docker.sock or podman.sock, is the containerd or CRI-O socket, or is a directory holding one (/run, /var/run, /run/docker, /run/containerd, /run/crio, /run/podman and their /var/run spellings).",
      evaluate(facts) {
        const socket = listMounts(facts.container).find((m) => isRuntimeSocket(m.source));
        if (socket)
          return fail(`Mounts ${describeSocket(socket.source)} at ${socket.destination}`, {
            fieldPath: socket.fieldPath,
          });
        return pass("Mounts no container runtime socket", { fieldPath: "Mounts" });
      },
      fix(facts) {
        // As `docker run` and Compose spell them; the service keeps its other mounts.
        const mounts = listMounts(facts.container).filter((m) => m.type !== "tmpfs");
        const spelled = mounts.map((m) => ({
          socket: isRuntimeSocket(m.source),
          volume: `${m.source}:${m.destination}${m.readWrite ? "" : ":ro"}`,
        }));
        const kept = spelled.filter((m) => !m.socket).map((m) => m.volume);
        return {
          remove: spelled.filter((m) => m.socket).map((m) => `--volume=${m.volume}`),
          compose: { volumes: kept.length > 0 ? kept : null },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({
            container: { Mounts: [{ Type: "bind", Source: "/srv/docker.socket.d", Destination: "/cfg", RW: false }] },
          }),
        ],
        fail: [
          secureDockerFacts({
            container: {
              Mounts: [
                { Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock", RW: false },
              ],
            },
          }),
          secureDockerFacts({
            container: {
              Mounts: [
                {
                  Type: "bind",
                  Source: "/run/user/1000/podman/podman.sock",
                  Destination: "/run/podman.sock",
                  RW: true,
                },
              ],
            },
          }),
          secureDockerFacts({
            container: {
              Mounts: null,
              HostConfig: { Binds: ["/run/containerd/containerd.sock:/run/containerd/containerd.sock"] },
            },
          }),
          ...SOCKET_DIRECTORY_EXAMPLES.map((Source) =>
            secureDockerFacts({
              container: { Mounts: [{ Type: "bind", Source, Destination: "/host-run", RW: false }] },
            }),
          ),
        ],
      },
    },
  },
});
