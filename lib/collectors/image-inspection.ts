import type { Db } from "@/lib/db";
import type { WorkloadInput } from "@/lib/domain/facts";
import { createImageInspector, needsConfig, type ImageInspector } from "@/lib/registry/inspect-workloads";
import { databaseMetadataCache, loadRegistryAccess } from "@/lib/services/registry";

/** The inspector a stored target's poll (or live update) uses: the admin's registries, the shared cache. */
export async function openImageInspector(db: Db, budgetMs?: number): Promise<ImageInspector> {
  const registries = await loadRegistryAccess(db);
  return createImageInspector({ registries, cache: databaseMetadataCache(db), ...(budgetMs ? { budgetMs } : {}) });
}

/**
 * A poll's inspector, opened (the registries read, the budget started) at the first batch with a container to
 * inspect: a Docker host that still has its images, or a poll that reads nothing again, asks the database nothing.
 */
export function openImageInspectorOnDemand(db: Db): ImageInspector {
  let opened: Promise<ImageInspector> | undefined;
  return {
    async inspect(workloads) {
      if (!workloads.some((workload) => workload.containers.some(needsConfig))) return;
      opened ??= openImageInspector(db);
      await (await opened).inspect(workloads);
    },
    close() {
      void opened?.then((inspector) => inspector.close()).catch(() => undefined);
    },
  };
}

/** Reads the image configs these workloads need, within a short budget of their own. */
export async function inspectImagesOnce(db: Db, workloads: readonly WorkloadInput[], budgetMs: number): Promise<void> {
  const inspector = await openImageInspector(db, budgetMs);
  try {
    await inspector.inspect(workloads);
  } finally {
    inspector.close();
  }
}
