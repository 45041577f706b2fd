import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, NetworkingV1Api } from "@kubernetes/client-node";
import type { KubeApis } from "./client";
import type { ReadAction } from "./errors";
import type { ObjectJson, PodJson, ServiceAccountJson } from "./json-types";
import type { ListPage, PagedList } from "./paging";
import { rawPage } from "./raw-page";

type Params = { limit: number; _continue?: string };

export interface Lister<T> {
  resource: string;
  group: string;
  all(apis: KubeApis, params: Params): Promise<ListPage<T>>;
  inNamespace(apis: KubeApis, namespace: string, params: Params): Promise<ListPage<T>>;
}

export const PODS: Lister<PodJson> = {
  resource: "pods",
  group: "",
  all: (a, p) => rawPage(a, (c) => new CoreV1Api(c).listPodForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new CoreV1Api(c).listNamespacedPod({ namespace, ...p })),
};

export const SERVICE_ACCOUNTS: Lister<ServiceAccountJson> = {
  resource: "serviceaccounts",
  group: "",
  all: (a, p) => rawPage(a, (c) => new CoreV1Api(c).listServiceAccountForAllNamespaces(p)),
  inNamespace: (a, namespace, p) =>
    rawPage(a, (c) => new CoreV1Api(c).listNamespacedServiceAccount({ namespace, ...p })),
};

export const NAMESPACES: Lister<ObjectJson> = {
  resource: "namespaces",
  group: "",
  all: (a, p) => rawPage(a, (c) => new CoreV1Api(c).listNamespace(p)),
  inNamespace: () => Promise.reject(new Error("namespaces are not namespaced")),
};

export const REPLICA_SETS: Lister<ObjectJson> = {
  resource: "replicasets",
  group: "apps",
  all: (a, p) => rawPage(a, (c) => new AppsV1Api(c).listReplicaSetForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new AppsV1Api(c).listNamespacedReplicaSet({ namespace, ...p })),
};

export const DEPLOYMENTS: Lister<ObjectJson> = {
  resource: "deployments",
  group: "apps",
  all: (a, p) => rawPage(a, (c) => new AppsV1Api(c).listDeploymentForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new AppsV1Api(c).listNamespacedDeployment({ namespace, ...p })),
};

export const STATEFUL_SETS: Lister<ObjectJson> = {
  resource: "statefulsets",
  group: "apps",
  all: (a, p) => rawPage(a, (c) => new AppsV1Api(c).listStatefulSetForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new AppsV1Api(c).listNamespacedStatefulSet({ namespace, ...p })),
};

export const DAEMON_SETS: Lister<ObjectJson> = {
  resource: "daemonsets",
  group: "apps",
  all: (a, p) => rawPage(a, (c) => new AppsV1Api(c).listDaemonSetForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new AppsV1Api(c).listNamespacedDaemonSet({ namespace, ...p })),
};

export const JOBS: Lister<ObjectJson> = {
  resource: "jobs",
  group: "batch",
  all: (a, p) => rawPage(a, (c) => new BatchV1Api(c).listJobForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new BatchV1Api(c).listNamespacedJob({ namespace, ...p })),
};

export const CRON_JOBS: Lister<ObjectJson> = {
  resource: "cronjobs",
  group: "batch",
  all: (a, p) => rawPage(a, (c) => new BatchV1Api(c).listCronJobForAllNamespaces(p)),
  inNamespace: (a, namespace, p) => rawPage(a, (c) => new BatchV1Api(c).listNamespacedCronJob({ namespace, ...p })),
};

export const NETWORK_POLICIES: Lister<ObjectJson> = {
  resource: "networkpolicies",
  group: "networking.k8s.io",
  all: (a, p) => rawPage(a, (c) => new NetworkingV1Api(c).listNetworkPolicyForAllNamespaces(p)),
  inNamespace: (a, namespace, p) =>
    rawPage(a, (c) => new NetworkingV1Api(c).listNamespacedNetworkPolicy({ namespace, ...p })),
};

/** A namespaced custom resource (served only where its CRD is installed), e.g. trivy-operator's reports. */
function customLister(group: string, version: string, plural: string): Lister<ObjectJson> {
  return {
    resource: plural,
    group,
    all: (a, p) => rawPage(a, (c) => new CustomObjectsApi(c).listClusterCustomObject({ group, version, plural, ...p })),
    inNamespace: (a, namespace, p) =>
      rawPage(a, (c) =>
        new CustomObjectsApi(c).listNamespacedCustomObject({ group, version, namespace, plural, ...p }),
      ),
  };
}

export const VULNERABILITY_REPORTS = customLister("aquasecurity.github.io", "v1alpha1", "vulnerabilityreports");
export const EXPOSED_SECRET_REPORTS = customLister("aquasecurity.github.io", "v1alpha1", "exposedsecretreports");

/** One list per scope: the whole cluster, or each allowed namespace. */
export function pagedLists<T>(apis: KubeApis, lister: Lister<T>, namespaces: string[] | undefined): PagedList<T>[] {
  const action = (namespace?: string): ReadAction => ({
    verb: "list",
    resource: lister.resource,
    group: lister.group,
    namespace,
  });
  if (!namespaces) return [{ action: action(), fetch: (p) => lister.all(apis, p) }];
  return namespaces.map((ns) => ({ action: action(ns), fetch: (p) => lister.inNamespace(apis, ns, p) }));
}
