import type { Platform } from "@/lib/domain/facts";
import { dockerCollector } from "./docker";
import type { Collector } from "./types";

// Imported on first use: @kubernetes/client-node alone adds about 110 MB to a worker that polls only Docker.
const loadKubernetes = () => import("./kubernetes").then((module) => module.kubernetesCollector);

const kubernetesCollector: Collector = {
  platform: "kubernetes",
  async *listWorkloads(target, report, signal, known) {
    yield* (await loadKubernetes()).listWorkloads(target, report, signal, known);
  },
  async *listReports(target, report, signal) {
    const collector = await loadKubernetes();
    if (collector.listReports) yield* collector.listReports(target, report, signal);
  },
  async testConnection(target, signal) {
    return (await loadKubernetes()).testConnection(target, signal);
  },
};

/** One entry per platform: adding a collector is one line here. */
const COLLECTORS: Partial<Record<Platform, Collector>> = {
  docker: dockerCollector,
  kubernetes: kubernetesCollector,
};

export function getCollector(platform: string): Collector {
  const collector = COLLECTORS[platform as Platform];
  if (!collector) throw new Error(`no collector for platform "${platform}"`);
  return collector;
}
