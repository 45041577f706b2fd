// The parts of Kubernetes objects that Rampart reads, as they appear in JSON/YAML.
// Normalizers validate these shapes before any check sees them.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
}

export interface Capabilities {
  add?: string[] | null;
  drop?: string[] | null;
}

export interface TypedProfile {
  type?: string;
  localhostProfile?: string;
}

export interface SecurityContext {
  runAsUser?: number | null;
  runAsGroup?: number | null;
  runAsNonRoot?: boolean | null;
  readOnlyRootFilesystem?: boolean | null;
  allowPrivilegeEscalation?: boolean | null;
  privileged?: boolean | null;
  capabilities?: Capabilities | null;
  seccompProfile?: TypedProfile | null;
  appArmorProfile?: TypedProfile | null;
  seLinuxOptions?: { user?: string; role?: string; type?: string; level?: string } | null;
  procMount?: string | null;
  windowsOptions?: { hostProcess?: boolean | null } | null;
}

export interface PodSecurityContext extends Omit<
  SecurityContext,
  "capabilities" | "privileged" | "readOnlyRootFilesystem" | "allowPrivilegeEscalation" | "procMount"
> {
  sysctls?: { name: string; value?: string }[] | null;
  fsGroup?: number | null;
}

export interface EnvVar {
  name: string;
  value?: string | null;
  valueFrom?: Record<string, unknown> | null;
}

export interface HandlerHost {
  httpGet?: { host?: string } | null;
  tcpSocket?: { host?: string } | null;
}

export interface Container {
  name: string;
  image?: string;
  securityContext?: SecurityContext | null;
  env?: EnvVar[] | null;
  envFrom?: Record<string, unknown>[] | null;
  ports?: { containerPort?: number; hostPort?: number | null; protocol?: string; name?: string }[] | null;
  resources?: {
    limits?: Record<string, string | number> | null;
    requests?: Record<string, string | number> | null;
  } | null;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean | null }[] | null;
  livenessProbe?: HandlerHost | null;
  readinessProbe?: HandlerHost | null;
  startupProbe?: HandlerHost | null;
  lifecycle?: { postStart?: HandlerHost | null; preStop?: HandlerHost | null } | null;
  restartPolicy?: string;
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string } | null;
  [source: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[] | null;
  ephemeralContainers?: Container[] | null;
  volumes?: Volume[] | null;
  securityContext?: PodSecurityContext | null;
  hostNetwork?: boolean | null;
  hostPID?: boolean | null;
  hostIPC?: boolean | null;
  hostUsers?: boolean | null;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean | null;
  os?: { name?: string } | null;
}

/** A pod or a pod template: what Pod Security and the checks judge. */
export interface PodTemplate {
  metadata: ObjectMeta;
  spec: PodSpec;
}

export interface NetworkPolicy {
  metadata: ObjectMeta;
  /** `file#document` when read from a file, so evidence can name where the policy came from. */
  source?: string;
  spec: {
    podSelector?: LabelSelector | null;
    policyTypes?: string[] | null;
    ingress?: unknown[] | null;
    egress?: unknown[] | null;
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";
export const CONTAINER_LISTS: readonly ContainerList[] = ["initContainers", "containers", "ephemeralContainers"];
