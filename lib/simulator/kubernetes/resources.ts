/** One kind of object the simulator serves, described as the API server's discovery does. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Served only while a CustomResourceDefinition named `<plural>.<group>` exists, as for a real CRD. */
  custom?: boolean;
}

const TYPES: ResourceType[] = [
  {
    group: "",
    version: "v1",
    plural: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    namespaced: false,
    shortNames: ["ns"],
  },
  { group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", namespaced: true, shortNames: ["po"] },
  {
    group: "",
    version: "v1",
    plural: "serviceaccounts",
    singular: "serviceaccount",
    kind: "ServiceAccount",
    namespaced: true,
    shortNames: ["sa"],
  },
  {
    group: "apps",
    version: "v1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
  },
  {
    group: "apps",
    version: "v1",
    plural: "replicasets",
    singular: "replicaset",
    kind: "ReplicaSet",
    namespaced: true,
    shortNames: ["rs"],
  },
  {
    group: "apps",
    version: "v1",
    plural: "statefulsets",
    singular: "statefulset",
    kind: "StatefulSet",
    namespaced: true,
    shortNames: ["sts"],
  },
  {
    group: "apps",
    version: "v1",
    plural: "daemonsets",
    singular: "daemonset",
    kind: "DaemonSet",
    namespaced: true,
    shortNames: ["ds"],
  },
  { group: "batch", version: "v1", plural: "jobs", singular: "job", kind: "Job", namespaced: true, shortNames: [] },
  {
    group: "batch",
    version: "v1",
    plural: "cronjobs",
    singular: "cronjob",
    kind: "CronJob",
    namespaced: true,
    shortNames: ["cj"],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    plural: "networkpolicies",
    singular: "networkpolicy",
    kind: "NetworkPolicy",
    namespaced: true,
    shortNames: ["netpol"],
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    singular: "customresourcedefinition",
    kind: "CustomResourceDefinition",
    namespaced: false,
    shortNames: ["crd", "crds"],
  },
  {
    group: "aquasecurity.github.io",
    version: "v1alpha1",
    plural: "vulnerabilityreports",
    singular: "vulnerabilityreport",
    kind: "VulnerabilityReport",
    namespaced: true,
    shortNames: ["vuln", "vulns"],
    custom: true,
  },
  {
    group: "aquasecurity.github.io",
    version: "v1alpha1",
    plural: "exposedsecretreports",
    singular: "exposedsecretreport",
    kind: "ExposedSecretReport",
    namespaced: true,
    shortNames: ["exposedsecret", "exposedsecrets"],
    custom: true,
  },
];

export const RESOURCE_TYPES: readonly ResourceType[] = TYPES;

export function groupVersion(type: Pick<ResourceType, "group" | "version">): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function resourceByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function resourceByKind(kind: string): ResourceType | undefined {
  return TYPES.find((t) => t.kind === kind);
}

/** The name of the CustomResourceDefinition that makes a custom type served. */
export const crdName = (type: Pick<ResourceType, "plural" | "group">): string => `${type.plural}.${type.group}`;

/** A CustomResourceDefinition for one of the custom types above (what `kubectl apply` of the vendor's CRD leaves). */
export function customResourceDefinition(kind: string): unknown {
  const type = TYPES.find((t) => t.custom && t.kind === kind);
  if (!type) throw new Error(`the simulator knows no custom resource ${kind}`);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: crdName(type) },
    spec: {
      group: type.group,
      names: { plural: type.plural, singular: type.singular, kind: type.kind, shortNames: type.shortNames },
      scope: type.namespaced ? "Namespaced" : "Cluster",
      versions: [{ name: type.version, served: true, storage: true }],
    },
  };
}

const VERBS = ["get", "list", "watch"];

/**
 * `/api`, `/apis`, `/api/v1` and `/apis/<group>/<version>` bodies, so kubectl can discover what is served;
 * `served` leaves out custom types whose CRD is absent.
 */
export function discoveryDocument(
  path: string,
  serverAddress: string,
  served: (type: ResourceType) => boolean = () => true,
): unknown {
  if (path === "/api") {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }
  const types = TYPES.filter(served);
  if (path === "/apis") return { kind: "APIGroupList", apiVersion: "v1", groups: apiGroups(types) };
  const gv = path === "/api/v1" ? "v1" : path.startsWith("/apis/") ? path.slice("/apis/".length) : undefined;
  if (gv === undefined) return undefined;
  const inGroup = types.filter((t) => groupVersion(t) === gv);
  if (inGroup.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: inGroup.map((t) => ({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
    })),
  };
}

function apiGroups(types: ResourceType[]): unknown[] {
  const groups = [...new Set(types.filter((t) => t.group).map((t) => t.group))];
  return groups.map((name) => {
    const version = types.find((t) => t.group === name)?.version ?? "v1";
    const gv = { groupVersion: `${name}/${version}`, version };
    return { name, versions: [gv], preferredVersion: gv };
  });
}
