import type { Available, ContainerFacts, ImageConfigFacts, WorkloadInput } from "@/lib/domain/facts";
import { createRegistryClient, DEFAULT_PLATFORM, type MetadataCache } from "./client";
import { isRegistryError } from "./errors";
import { parseRegistryReference } from "./reference";
import type { RegistryAccess, TransportOptions } from "./transport";

/** Registry lookups get this share of a poll; what is left over comes from the cache or waits for the next poll. */
export const INSPECTION_BUDGET_MS = 30_000;

export interface ImageInspectorOptions extends Partial<
  Pick<TransportOptions, "timeoutMs" | "concurrency" | "onRequest">
> {
  /** Only these registries are contacted: image references come from workloads, so any other host is refused. */
  registries: RegistryAccess[];
  cache: MetadataCache;
  budgetMs?: number;
}

export interface ImageInspector {
  /** Sets `imageConfig` on every Kubernetes container, and on Docker containers whose host lost the image. */
  inspect(workloads: readonly WorkloadInput[]): Promise<void>;
  /** Ends the budget timer and cancels lookups in flight. */
  close(): void;
}

type LiveFacts = Extract<ContainerFacts, { platform: "kubernetes" | "docker" }>;

/** Live containers only (a Dockerfile's image was never built); Docker's engine answers for images it still has. */
export function needsConfig(facts: ContainerFacts): facts is LiveFacts {
  return facts.platform === "kubernetes" || (facts.platform === "docker" && !facts.imageInspect);
}

/** The node platform the scheduler is held to, from the pod's nodeSelector; linux/amd64 when it says nothing. */
function platformOf(facts: LiveFacts): string {
  if (facts.platform !== "kubernetes") return DEFAULT_PLATFORM;
  const selector = (facts.pod.spec as { nodeSelector?: Record<string, string> | null }).nodeSelector ?? {};
  const os = selector["kubernetes.io/os"] ?? "linux";
  const arch = selector["kubernetes.io/arch"] ?? "amd64";
  return /^[a-z0-9]+$/.test(os) && /^[a-z0-9]+$/.test(arch) ? `${os}/${arch}` : DEFAULT_PLATFORM;
}

function imageOf(facts: LiveFacts): string {
  if (facts.platform === "kubernetes") return facts.container.image ?? facts.image;
  return facts.container.Config.Image ?? facts.image;
}

/** One inspector per poll: its lookups share a budget, a client (bounded concurrency) and per-image answers. */
export function createImageInspector(options: ImageInspectorOptions): ImageInspector {
  const budgetMs = options.budgetMs ?? INSPECTION_BUDGET_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  const client = createRegistryClient({
    registries: options.registries,
    cache: options.cache,
    signal: controller.signal,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  const hosts = new Set(options.registries.map((r) => r.host));
  const answers = new Map<string, Promise<Available<ImageConfigFacts>>>();

  async function lookup(image: string, runningDigest: string | undefined, platform: string) {
    const ref = parseRegistryReference(image);
    if (!ref) return { unavailable: `The image reference "${image.slice(0, 200)}" does not name a registry image` };
    if (!hosts.has(ref.host))
      return {
        unavailable: `No registry settings for ${ref.host}: Rampart reads image configs only from registries listed under Registries (a public one needs a row without a login)`,
      };
    try {
      const value = await client.inspectImage({ image, platform, ...(runningDigest ? { runningDigest } : {}) });
      return { value };
    } catch (error) {
      const why = isRegistryError(error) ? error.message : "the lookup failed unexpectedly";
      if (controller.signal.aborted)
        return {
          unavailable: `Image config not read from ${ref.host}: registry lookups used their ${budgetMs / 1000} s share of the poll; the next poll goes on`,
        };
      return { unavailable: `Image config not read from ${ref.host}: ${why}` };
    }
  }

  return {
    async inspect(workloads) {
      const pending: Promise<void>[] = [];
      for (const workload of workloads) {
        for (const facts of workload.containers) {
          if (!needsConfig(facts)) continue;
          const image = imageOf(facts);
          const platform = platformOf(facts);
          const key = `${image}\n${facts.imageDigest ?? ""}\n${platform}`;
          let answer = answers.get(key);
          if (!answer) answers.set(key, (answer = lookup(image, facts.imageDigest, platform)));
          pending.push(answer.then((available) => void (facts.imageConfig = available)));
        }
      }
      await Promise.all(pending);
    },
    close() {
      clearTimeout(timer);
      controller.abort();
    },
  };
}
