import type { Available } from "@/lib/domain/facts";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import type { ObjectJson, OwnerReferenceJson } from "./json-types";

/** `Kind/namespace/name` of a workload that Rampart judges. */
export type WorkloadKey = string;

export const workloadKey = (kind: string, namespace: string | undefined, name: string | undefined): WorkloadKey =>
  `${kind}/${namespace ?? ""}/${name ?? ""}`;

/** The small maps a run keeps while it streams pods: everything else is read page by page. */
export interface ClusterIndexes {
  namespaceLabels: Map<string, Record<string, string>>;
  /** `namespace/name` → automountServiceAccountToken; undefined when ServiceAccounts could not be read. */
  serviceAccounts?: Map<string, boolean | null>;
  policies: Map<string, NetworkPolicy[]>;
  /** Why NetworkPolicies could not be read, per namespace ("" = the whole cluster). */
  policiesUnavailable: Map<string, string>;
  /** ReplicaSet uid → its Deployment's key (or its own key when it has no Deployment). */
  replicaSetOwners: Map<string, WorkloadKey>;
  /** Job uid → its CronJob's key (or its own key). */
  jobOwners: Map<string, WorkloadKey>;
  /** ReplicaSets and Jobs that are workloads themselves, as plain JSON objects. */
  standalone: Map<WorkloadKey, Record<string, unknown>>;
}

export function emptyIndexes(): ClusterIndexes {
  return {
    namespaceLabels: new Map(),
    policies: new Map(),
    policiesUnavailable: new Map(),
    replicaSetOwners: new Map(),
    jobOwners: new Map(),
    standalone: new Map(),
  };
}

export function networkPoliciesFor(indexes: ClusterIndexes, namespace: string): Available<NetworkPolicy[]> {
  const reason = indexes.policiesUnavailable.get("") ?? indexes.policiesUnavailable.get(namespace);
  if (reason) return { unavailable: reason };
  return { value: indexes.policies.get(namespace) ?? [] };
}

export function controllerOf(references: OwnerReferenceJson[] | undefined): OwnerReferenceJson | undefined {
  return references?.find((r) => r.controller) ?? references?.[0];
}

const API_VERSIONS: Record<string, string> = {
  Pod: "v1",
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  NetworkPolicy: "networking.k8s.io/v1",
};

/** Items of a list carry no kind; status and managedFields are not judged, so they are not kept. */
export function toPlainObject(object: ObjectJson, kind: string): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object;
  const { managedFields: _managed, ...meta } = metadata ?? {};
  return { ...rest, apiVersion: API_VERSIONS[kind] ?? "v1", kind, metadata: meta };
}
