export {
  normalizeKubernetesWorkload,
  isWorkloadKind,
  podSpecPath,
  digestOf,
  WORKLOAD_KINDS,
  type KubernetesContext,
} from "./kubernetes";
export {
  normalizeDockerContainer,
  groupDockerWorkloads,
  dockerWorkloadOf,
  dockerImageDigest,
  type DockerRawInput,
  type DockerContext,
} from "./docker";
export { networkPolicySchema, serviceAccountSchema, podSpecSchema, containerSchema } from "./kubernetes-schema";
export { dockerContainerSchema, dockerImageSchema } from "./docker-schema";
export { issuesToErrors, type ErrorOrigin } from "./zod-issues";
export { formatFieldPath, describeType, isRecord } from "./field-path";
export { normalizeComposeService, composeServiceSchema, type ComposeContext } from "./compose";
