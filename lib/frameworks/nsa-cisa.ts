import type { Framework } from "./types";

// The guidance numbers nothing: its controls are its section headings (v1.2, August 2022), and the ids are Rampart's
// short names for them.
const SECTIONS = [
  { id: "pod-security", title: "Kubernetes Pod security" },
  { id: "network", title: "Network separation and hardening" },
  { id: "authn-authz", title: "Authentication and authorization", notJudged: "Users, tokens and RBAC are not read." },
  {
    id: "logging",
    title: "Audit logging and threat detection",
    notJudged: "Logging and detection run outside the workloads Rampart reads.",
  },
  {
    id: "upgrading",
    title: "Upgrading and application security practices",
    notJudged: "A practice (patching, periodic review), not a workload setting.",
  },
] as const;

const CONTROLS: readonly [id: string, title: string, section: (typeof SECTIONS)[number]["id"], notJudged?: string][] = [
  ["non-root-containers", '"Non-root" containers and "rootless" container engines', "pod-security"],
  ["immutable-file-systems", "Immutable container file systems", "pod-security"],
  ["secure-images", "Building secure container images", "pod-security"],
  ["pod-security-enforcement", "Pod security enforcement", "pod-security"],
  ["service-account-tokens", "Protecting Pod service account tokens", "pod-security"],
  [
    "hardening-container-environments",
    "Hardening container environments",
    "pod-security",
    "Sandboxed runtimes (hypervisor or kernel isolation) are not read.",
  ],
  ["namespaces", "Namespaces", "network", "Namespace design is an organisational decision."],
  ["network-policies", "Network policies", "network"],
  ["resource-policies", "Resource policies", "network"],
  ["control-plane-hardening", "Control plane hardening", "network", "The control plane is not read."],
  ["worker-node-segmentation", "Worker node segmentation", "network", "Node networks are not read."],
  ["encryption", "Encryption", "network", "Encryption in transit and at rest is configured outside the workloads."],
  ["secrets", "Secrets", "network"],
  [
    "cloud-infrastructure",
    "Protecting sensitive cloud infrastructure",
    "network",
    "Cloud metadata access is not read.",
  ],
  ["authentication", "Authentication", "authn-authz"],
  ["rbac", "Role-based access control", "authn-authz"],
  ["logging", "Logging", "logging"],
  ["threat-detection", "Threat detection", "logging"],
  ["upgrading", "Upgrading and application security practices", "upgrading"],
];

export const NSA_CISA: Framework = {
  id: "nsa-cisa",
  name: "NSA/CISA Kubernetes Hardening Guidance",
  edition: "v1.2 (August 2022)",
  source:
    "https://www.nsa.gov/News-Features/Feature-Stories/Article-View/Article/2716980/nsa-cisa-release-kubernetes-hardening-guidance/",
  platform: "kubernetes",
  basis: "checks",
  referenceKey: "nsaCisa",
  sections: SECTIONS,
  controls: CONTROLS.map(([id, title, section, notJudged]) => ({
    id,
    title,
    section,
    ...(notJudged ? { notJudged } : {}),
  })),
};
