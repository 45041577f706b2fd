export {
  fleetSize,
  generateDockerFleet,
  type ContainerSpec,
  type DockerFleet,
  type DockerFleetOptions,
  type DockerHostSpec,
} from "./docker-fleet";
export { driftFleet, type DriftOptions, type DriftReport } from "./drift";
export { IMAGE_CATALOG, type ImageSpec } from "./images";
export { mutatePosture, randomPosture, type Posture, type PostureName } from "./posture";
export { chance, intBetween, pick, seededRandom, sha256Hex, weighted, type Random } from "./random";
export { kubernetesContainer, kubernetesPodFields } from "./kubernetes-container";
