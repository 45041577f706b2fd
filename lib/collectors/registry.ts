import type { Platform } from "@/lib/domain/facts";
import { dockerCollector } from "./docker";
import { kubernetesCollector } from "./kubernetes";
import type { Collector } from "./types";

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
