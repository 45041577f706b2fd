import type { Posture } from "./posture";

type Manifest = Record<string, unknown>;

/** Kubernetes spells CPU in millicores and memory in Mi. */
function limits(posture: Posture): Manifest | undefined {
  if (!posture.limits) return undefined;
  const cpu = `${Math.round(posture.limits.nanoCpus / 1_000_000)}m`;
  const memory = `${Math.round(posture.limits.memoryBytes / 1024 / 1024)}Mi`;
  return { limits: { cpu, memory }, requests: { cpu: "50m", memory: "64Mi" } };
}

function securityContext(posture: Posture): Manifest {
  const context: Manifest = {};
  if (posture.user === "0" || posture.user === "root") context.runAsUser = 0;
  else if (posture.user !== "") {
    context.runAsNonRoot = true;
    context.runAsUser = Number(posture.user.split(":")[0]);
  }
  if (posture.privileged) context.privileged = true;
  if (posture.readOnlyRoot) context.readOnlyRootFilesystem = true;
  if (posture.noNewPrivileges) context.allowPrivilegeEscalation = false;
  const capabilities: Manifest = {};
  if (posture.dropAll) capabilities.drop = ["ALL"];
  if (posture.capAdd.length > 0) capabilities.add = posture.capAdd;
  if (Object.keys(capabilities).length > 0) context.capabilities = capabilities;
  context.seccompProfile = { type: posture.seccompUnconfined ? "Unconfined" : "RuntimeDefault" };
  if (posture.apparmorUnconfined) context.appArmorProfile = { type: "Unconfined" };
  return context;
}

function env(posture: Posture): Manifest[] {
  const list: Manifest[] = [{ name: "LOG_LEVEL", value: "info" }];
  if (posture.plaintextSecret) list.push({ name: "DB_PASSWORD", value: "simulated-plaintext-not-a-secret" });
  if (posture.secretFile)
    list.push({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } });
  return list;
}

/** A pod-spec container for the posture; host-level settings go to the pod (see `kubernetesPodFields`). */
export function kubernetesContainer(posture: Posture, name: string, image: string): Manifest {
  const container: Manifest = { name, image, env: env(posture), securityContext: securityContext(posture) };
  container.ports = [{ containerPort: 8080, ...(posture.hostPort ? { hostPort: 8080 } : {}) }];
  const resources = limits(posture);
  if (resources) container.resources = resources;
  const mounts: Manifest[] = [];
  if (posture.runtimeSocket) mounts.push({ name: "runtime-socket", mountPath: "/var/run/docker.sock" });
  if (posture.hostPathMount) mounts.push({ name: "host-logs", mountPath: "/host/var/log", readOnly: true });
  if (mounts.length > 0) container.volumeMounts = mounts;
  return container;
}

/** Pod-level fields of the posture: host namespaces and the hostPath volumes its mounts need. */
export function kubernetesPodFields(posture: Posture): Manifest {
  const fields: Manifest = {};
  if (posture.hostNetwork) fields.hostNetwork = true;
  if (posture.hostPid) fields.hostPID = true;
  if (posture.hostIpc) fields.hostIPC = true;
  const volumes: Manifest[] = [];
  if (posture.runtimeSocket) volumes.push({ name: "runtime-socket", hostPath: { path: "/var/run/docker.sock" } });
  if (posture.hostPathMount) volumes.push({ name: "host-logs", hostPath: { path: "/var/log" } });
  if (volumes.length > 0) fields.volumes = volumes;
  return fields;
}
