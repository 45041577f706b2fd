import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1NetworkPolicy,
  V1Pod,
  V1ReplicaSet,
  V1ServiceAccount,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { KubeApis } from "./client";
import type { ReadAction } from "./errors";
import type { ListPage, PagedList } from "./paging";

type Params = { limit: number; _continue?: string };

export interface Lister<T> {
  resource: string;
  group: string;
  all(apis: KubeApis, params: Params): Promise<ListPage<T>>;
  inNamespace(apis: KubeApis, namespace: string, params: Params): Promise<ListPage<T>>;
}

export const PODS: Lister<V1Pod> = {
  resource: "pods",
  group: "",
  all: (a, p) => a.pods.listPodForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.pods.listNamespacedPod({ namespace, ...p }),
};

export const SERVICE_ACCOUNTS: Lister<V1ServiceAccount> = {
  resource: "serviceaccounts",
  group: "",
  all: (a, p) => a.core.listServiceAccountForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.core.listNamespacedServiceAccount({ namespace, ...p }),
};

export const REPLICA_SETS: Lister<V1ReplicaSet> = {
  resource: "replicasets",
  group: "apps",
  all: (a, p) => a.apps.listReplicaSetForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.apps.listNamespacedReplicaSet({ namespace, ...p }),
};

export const DEPLOYMENTS: Lister<V1Deployment> = {
  resource: "deployments",
  group: "apps",
  all: (a, p) => a.apps.listDeploymentForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.apps.listNamespacedDeployment({ namespace, ...p }),
};

export const STATEFUL_SETS: Lister<V1StatefulSet> = {
  resource: "statefulsets",
  group: "apps",
  all: (a, p) => a.apps.listStatefulSetForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.apps.listNamespacedStatefulSet({ namespace, ...p }),
};

export const DAEMON_SETS: Lister<V1DaemonSet> = {
  resource: "daemonsets",
  group: "apps",
  all: (a, p) => a.apps.listDaemonSetForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.apps.listNamespacedDaemonSet({ namespace, ...p }),
};

export const JOBS: Lister<V1Job> = {
  resource: "jobs",
  group: "batch",
  all: (a, p) => a.batch.listJobForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.batch.listNamespacedJob({ namespace, ...p }),
};

export const CRON_JOBS: Lister<V1CronJob> = {
  resource: "cronjobs",
  group: "batch",
  all: (a, p) => a.batch.listCronJobForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.batch.listNamespacedCronJob({ namespace, ...p }),
};

export const NETWORK_POLICIES: Lister<V1NetworkPolicy> = {
  resource: "networkpolicies",
  group: "networking.k8s.io",
  all: (a, p) => a.networking.listNetworkPolicyForAllNamespaces(p),
  inNamespace: (a, namespace, p) => a.networking.listNamespacedNetworkPolicy({ namespace, ...p }),
};

/** One list per scope: the whole cluster, or each allowed namespace. */
export function pagedLists<T>(apis: KubeApis, lister: Lister<T>, namespaces: string[] | undefined): PagedList<T>[] {
  const action = (namespace?: string): ReadAction => ({ verb: "list", resource: lister.resource, group: lister.group, namespace });
  if (!namespaces) return [{ action: action(), fetch: (p) => lister.all(apis, p) }];
  return namespaces.map((ns) => ({ action: action(ns), fetch: (p) => lister.inNamespace(apis, ns, p) }));
}
