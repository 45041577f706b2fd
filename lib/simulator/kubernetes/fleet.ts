import { seededRandom } from "./naming";

type Manifest = Record<string, unknown>;
type Random = () => number;

// Security postures a generated container can have, from hardened to careless, so every check sees passes and fails.
const POSTURES: ((r: Random) => Record<string, unknown>)[] = [
  () => ({
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  }),
  (r) => ({ runAsUser: 1000 + Math.floor(r() * 1000), allowPrivilegeEscalation: false }),
  () => ({}),
  () => ({ runAsUser: 0, capabilities: { add: ["NET_ADMIN"] } }),
  () => ({ privileged: true }),
  () => ({
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    seccompProfile: { type: "Unconfined" },
  }),
];

const IMAGES = [
  "nginx:1.27",
  "ghcr.io/acme/api:2.4.1",
  "redis:7",
  "postgres:16",
  "busybox:latest",
  "ghcr.io/acme/worker",
];
const TEAMS = ["payments", "search", "platform", "data", "web"];

function pick<T>(r: Random, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function container(r: Random, name: string): Record<string, unknown> {
  const image = r() < 0.2 ? `registry.example/${name}@sha256:${hex(r, 64)}` : pick(r, IMAGES);
  const out: Record<string, unknown> = { name, image, securityContext: pick(r, POSTURES)(r) };
  if (r() < 0.6) out.resources = { limits: { cpu: "500m", memory: "256Mi" } };
  if (r() < 0.1) out.env = [{ name: "DB_PASSWORD", value: "changeme" }];
  else if (r() < 0.3) out.env = [{ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }];
  if (r() < 0.05) out.ports = [{ containerPort: 8080, hostPort: 8080 }];
  return out;
}

function hex(r: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(r() * 16).toString(16);
  return out;
}

function podTemplate(r: Random, app: string): Manifest {
  const containers = [container(r, app)];
  if (r() < 0.25) containers.push(container(r, "sidecar"));
  const spec: Record<string, unknown> = { containers };
  if (r() < 0.3) spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
  if (r() < 0.05) spec.hostNetwork = true;
  if (r() < 0.05) spec.volumes = [{ name: "host", hostPath: { path: "/var/log" } }];
  if (r() < 0.3) spec.serviceAccountName = "app";
  if (r() < 0.2) spec.automountServiceAccountToken = false;
  return { metadata: { labels: { app } }, spec };
}

type KindPlan = { kind: string; podsPer: (r: Random) => number };

const PLANS: { weight: number; plan: KindPlan }[] = [
  { weight: 55, plan: { kind: "Deployment", podsPer: (r) => 1 + Math.floor(r() * 10) } },
  { weight: 10, plan: { kind: "StatefulSet", podsPer: (r) => 1 + Math.floor(r() * 4) } },
  { weight: 5, plan: { kind: "DaemonSet", podsPer: () => 3 } },
  { weight: 10, plan: { kind: "CronJob", podsPer: () => 1 } },
  { weight: 5, plan: { kind: "Job", podsPer: () => 1 } },
  { weight: 15, plan: { kind: "Pod", podsPer: () => 1 } },
];

function choosePlan(r: Random): KindPlan {
  let roll = r() * 100;
  for (const { weight, plan } of PLANS) {
    roll -= weight;
    if (roll < 0) return plan;
  }
  return (PLANS[0] as { plan: KindPlan }).plan;
}

/**
 * Manifests for a cluster of exactly `pods` pods (with 3 nodes): namespaces with team labels, mixed workload kinds,
 * varied security contexts, ServiceAccounts and NetworkPolicies. The same seed gives the same fleet.
 */
export function generateFleet(pods: number, seed: number): Manifest[] {
  const r = seededRandom(seed);
  const namespaceCount = Math.max(2, Math.round(Math.sqrt(pods / 10)));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `team-${i + 1}`);
  const out: Manifest[] = namespaces.flatMap((ns) => namespaceObjects(r, ns));
  let remaining = pods;
  for (let i = 0; remaining > 0; i++) {
    let plan = choosePlan(r);
    if (plan.kind === "DaemonSet" && remaining < 3) plan = { kind: "Deployment", podsPer: () => 1 };
    const count = Math.min(remaining, plan.podsPer(r));
    out.push(workload(r, plan.kind, `app-${i + 1}`, pick(r, namespaces), count));
    remaining -= count;
  }
  return out;
}

function namespaceObjects(r: Random, ns: string): Manifest[] {
  const labels: Record<string, string> = { team: pick(r, TEAMS) };
  if (r() < 0.4) labels["pod-security.kubernetes.io/enforce"] = pick(r, ["baseline", "restricted"]);
  const out: Manifest[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels } },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "app", namespace: ns },
      automountServiceAccountToken: r() < 0.5,
    },
  ];
  if (r() < 0.5) {
    out.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace: ns },
      spec: { podSelector: {}, policyTypes: r() < 0.5 ? ["Ingress"] : ["Ingress", "Egress"] },
    });
  }
  return out;
}

function workload(r: Random, kind: string, name: string, namespace: string, count: number): Manifest {
  const template = podTemplate(r, name);
  const metadata = { name, namespace, labels: { app: name, team: pick(r, TEAMS) } };
  const selector = { matchLabels: { app: name } };
  switch (kind) {
    case "Deployment":
    case "StatefulSet":
      return { apiVersion: "apps/v1", kind, metadata, spec: { replicas: count, selector, template } };
    case "DaemonSet":
      return { apiVersion: "apps/v1", kind, metadata, spec: { selector, template } };
    case "Job":
      return { apiVersion: "batch/v1", kind, metadata, spec: { template: withRestart(template) } };
    case "CronJob":
      return {
        apiVersion: "batch/v1",
        kind,
        metadata,
        spec: { schedule: "*/15 * * * *", jobTemplate: { spec: { template: withRestart(template) } } },
      };
    default:
      return { apiVersion: "v1", kind: "Pod", metadata: { ...metadata, labels: { app: name } }, spec: template.spec };
  }
}

function withRestart(template: Manifest): Manifest {
  return { ...template, spec: { ...(template.spec as Manifest), restartPolicy: "OnFailure" } };
}
