import type { Collector, CollectionReport, TargetConnection } from "@/lib/collectors/types";
import { createKubeApis } from "./client";
import { collectKubernetesWorkloads, type CollectOptions } from "./collect";
import { describeKubeError } from "./errors";
import { collectKubernetesReports } from "./reports";

export { collectKubernetesWorkloads, type CollectOptions, type KubernetesWorkloadInput } from "./collect";
export { loadKubeConfig } from "./client";
export { KubeReadError } from "./errors";
export { collectKubernetesReports } from "./reports";
export { readRbacManifests } from "./rbac";

/** The Kubernetes collector; options exist for tests (small pages, short timeouts). */
export function createKubernetesCollector(options: CollectOptions = {}): Collector {
  return {
    platform: "kubernetes",
    listWorkloads: (target: TargetConnection, report: CollectionReport, signal: AbortSignal) =>
      collectKubernetesWorkloads(target, report, signal, options),
    listReports: (target: TargetConnection, report: CollectionReport, signal: AbortSignal) =>
      collectKubernetesReports(target, report, signal, options),
    async testConnection(target: TargetConnection, signal: AbortSignal): Promise<string> {
      const apis = await createKubeApis(target, signal, options.requestTimeoutMs);
      try {
        const version = await apis.version.getCode();
        return `Kubernetes ${version.gitVersion} at ${apis.server}`;
      } catch (error) {
        throw describeKubeError(error, { verb: "get", resource: "version", group: "" }, apis.server);
      } finally {
        await apis.close();
      }
    },
  };
}

export const kubernetesCollector: Collector = createKubernetesCollector();
