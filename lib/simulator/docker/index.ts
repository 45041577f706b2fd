export { inspectContainer } from "./containers";
export { containerSummary, imageHistory, infoOf, inspectImage, networksOf, versionOf } from "./engine-objects";
export { engineHandler } from "./routes";
export {
  startDockerSimulator,
  type DockerSimulator,
  type DockerSimulatorOptions,
  type SimulatedEngine,
} from "./server";
export { spawnDockerSimulator, type SimulatorProcess, type SpawnOptions } from "./spawn";
export { DOCKER_USAGE, runDockerSimulatorCommand } from "./command";
