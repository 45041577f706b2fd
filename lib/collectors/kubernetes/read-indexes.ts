import type { CollectionReport } from "@/lib/collectors/types";
import type { NetworkPolicy } from "@/lib/domain/kubernetes";
import type { KubeApis } from "./client";
import { describeKubeError, KubeReadError, statusOf } from "./errors";
import { controllerOf, toPlainObject, workloadKey, type ClusterIndexes } from "./indexes";
import { JOBS, NAMESPACES, NETWORK_POLICIES, pagedLists, REPLICA_SETS, SERVICE_ACCOUNTS } from "./lists";
import { readPages } from "./paging";

export interface Scope {
  apis: KubeApis;
  /** Undefined = whole cluster. */
  namespaces?: string[];
  report: CollectionReport;
  pageSize: number;
}

/** Namespace labels (Pod Security and team labels, for filters); unreadable ones only cost a warning. */
export async function readNamespaces(scope: Scope, indexes: ClusterIndexes): Promise<void> {
  const { apis, namespaces, report } = scope;
  try {
    if (!namespaces) {
      const [list] = pagedLists(apis, NAMESPACES, undefined);
      for await (const page of readPages(list!, apis.server, scope.pageSize)) {
        for (const ns of page) indexes.namespaceLabels.set(ns.metadata?.name ?? "", ns.metadata?.labels ?? {});
      }
      return;
    }
    for (const name of namespaces) {
      const ns = await apis.core.readNamespace({ name }).catch((error: unknown) => {
        throw describeKubeError(
          error,
          { verb: "get", resource: "namespaces", group: "", namespace: name },
          apis.server,
        );
      });
      indexes.namespaceLabels.set(name, ns.metadata?.labels ?? {});
    }
  } catch (error) {
    if (!isForbidden(error)) throw error;
    report.warnings.push(`namespace labels not read: ${(error as Error).message}`);
  }
}

export async function readServiceAccounts(scope: Scope, indexes: ClusterIndexes): Promise<void> {
  const accounts = new Map<string, boolean | null>();
  try {
    for (const list of pagedLists(scope.apis, SERVICE_ACCOUNTS, scope.namespaces)) {
      for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
        for (const sa of page)
          accounts.set(`${sa.metadata?.namespace}/${sa.metadata?.name}`, sa.automountServiceAccountToken ?? null);
      }
    }
    indexes.serviceAccounts = accounts;
  } catch (error) {
    if (!isForbidden(error)) throw error;
    scope.report.warnings.push(
      `ServiceAccounts not read, so only pods' own automountServiceAccountToken is judged: ${(error as Error).message}`,
    );
  }
}

/** NetworkPolicies per namespace; a forbidden namespace (or cluster) makes network-isolation not-evaluated there. */
export async function readNetworkPolicies(scope: Scope, indexes: ClusterIndexes): Promise<void> {
  for (const list of pagedLists(scope.apis, NETWORK_POLICIES, scope.namespaces)) {
    try {
      for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
        for (const policy of page) {
          const ns = policy.metadata?.namespace ?? "";
          const plain = toPlainObject(policy, "NetworkPolicy") as unknown as NetworkPolicy;
          indexes.policies.set(ns, [...(indexes.policies.get(ns) ?? []), plain]);
        }
      }
    } catch (error) {
      if (!isForbidden(error)) throw error;
      const reason = (error as Error).message;
      indexes.policiesUnavailable.set(list.action.namespace ?? "", reason);
      scope.report.warnings.push(`network-isolation not evaluated: ${reason}`);
    }
  }
}

/** ReplicaSet → Deployment and Job → CronJob, so a pod's replicas roll up to the object people edit. */
export async function readOwners(scope: Scope, indexes: ClusterIndexes): Promise<void> {
  for (const list of pagedLists(scope.apis, REPLICA_SETS, scope.namespaces)) {
    for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
      for (const rs of page) {
        const owner = controllerOf(rs.metadata?.ownerReferences);
        const key =
          owner?.kind === "Deployment" ? workloadKey("Deployment", rs.metadata?.namespace, owner.name) : undefined;
        indexes.replicaSetOwners.set(
          rs.metadata?.uid ?? "",
          key ?? standalone(indexes, toPlainObject(rs, "ReplicaSet")),
        );
      }
    }
  }
  for (const list of pagedLists(scope.apis, JOBS, scope.namespaces)) {
    for await (const page of readPages(list, scope.apis.server, scope.pageSize)) {
      for (const job of page) {
        const owner = controllerOf(job.metadata?.ownerReferences);
        const key = owner?.kind === "CronJob" ? workloadKey("CronJob", job.metadata?.namespace, owner.name) : undefined;
        indexes.jobOwners.set(job.metadata?.uid ?? "", key ?? standalone(indexes, toPlainObject(job, "Job")));
      }
    }
  }
}

function standalone(indexes: ClusterIndexes, object: Record<string, unknown>): string {
  const metadata = object.metadata as { namespace?: string; name?: string };
  const key = workloadKey(object.kind as string, metadata.namespace, metadata.name);
  indexes.standalone.set(key, object);
  return key;
}

export function isForbidden(error: unknown): error is KubeReadError {
  return statusOf(error) === 403;
}
