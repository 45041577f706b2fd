import { seededRandom } from "@/lib/simulator/fleet";

type Manifest = Record<string, unknown>;
type Random = () => number;

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]);

const HARDENED = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

// What a hurried change looks like: one setting dropped or a root user put back.
const REGRESSIONS: Record<string, unknown>[] = [
  {},
  { runAsUser: 0 },
  { allowPrivilegeEscalation: true },
  { capabilities: { add: ["NET_ADMIN"] } },
];

function record(value: unknown): Manifest | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Manifest) : undefined;
}

/** The pod spec inside a workload manifest, where the generated fleet puts it. */
export function podSpecOf(manifest: Manifest): Manifest | undefined {
  const spec = record(manifest.spec);
  if (manifest.kind === "Pod") return spec;
  if (manifest.kind === "CronJob") return record(record(record(record(spec?.jobTemplate)?.spec)?.template)?.spec);
  return record(record(spec?.template)?.spec);
}

function containersOf(manifest: Manifest): Manifest[] {
  const containers = podSpecOf(manifest)?.containers;
  return Array.isArray(containers) ? containers.filter((c): c is Manifest => record(c) !== undefined) : [];
}

function harden(manifest: Manifest): void {
  for (const container of containersOf(manifest)) {
    container.securityContext = structuredClone(HARDENED);
    container.resources = { limits: { cpu: "500m", memory: "256Mi" } };
    if (Array.isArray(container.env)) container.env = [{ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }];
  }
}

function regress(manifest: Manifest, random: Random): void {
  const container = containersOf(manifest)[0];
  if (!container) return;
  const change = REGRESSIONS[Math.floor(random() * REGRESSIONS.length)] ?? {};
  container.securityContext = { ...record(container.securityContext), ...structuredClone(change) };
}

export interface ClusterDriftOptions {
  /** Share of workloads changed, 0..1. */
  share: number;
  /** Chance that a changed workload is hardened rather than regressed. */
  hardenBias: number;
  seed: number;
}

/**
 * One day of an evolving cluster, in place: a share of its workloads hardened (mostly) or regressed, and now
 * and then a workload deployed or removed. Same manifests and options, same changes.
 */
export function driftCluster(manifests: Manifest[], options: ClusterDriftOptions): void {
  const random = seededRandom(options.seed);
  const workloads = manifests.filter((m) => typeof m.kind === "string" && WORKLOAD_KINDS.has(m.kind));
  for (const workload of workloads) {
    if (random() >= options.share) continue;
    if (random() < options.hardenBias) harden(workload);
    else regress(workload, random);
  }
  const template = workloads[Math.floor(random() * workloads.length)];
  if (template && random() < 0.15) {
    const copy = structuredClone(template);
    const metadata = record(copy.metadata) ?? {};
    metadata.name = `${String(metadata.name)}-v${options.seed}`;
    copy.metadata = metadata;
    manifests.push(copy);
  }
  const removed = workloads[Math.floor(random() * workloads.length)];
  if (removed && random() < 0.08) manifests.splice(manifests.indexOf(removed), 1);
}
