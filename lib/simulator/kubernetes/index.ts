export { ALL_RULES, isAllowed, rulesOf, type Grant, type Identity, type PolicyRule } from "./auth";
export { generateServerTls, type ServerTls } from "./certs";
export { expandManifests, type ExpandOptions, type KubeObject } from "./expand";
export { generateFleet } from "./fleet";
export { renderKubeconfig } from "./kubeconfig";
export { loadManifests } from "./load";
export { customResourceDefinition } from "./resources";
export {
  startKubernetesSimulator,
  type KubernetesSimulator,
  type SimulatorFaults,
  type SimulatorOptions,
} from "./server";
export { ClusterStore } from "./store";
