// `npm run bench -- registry [--images 2000] [--pods 20000]`: image configs of a simulated cluster's pods read
// from Debian's docker-registry on loopback: cold poll (configs/s), second poll (registry requests), peak memory.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { collectKubernetesWorkloads } from "@/lib/collectors/kubernetes";
import type { WorkloadInput } from "@/lib/domain/facts";
import { memoryCache } from "@/lib/registry/client";
import { createImageInspector } from "@/lib/registry/inspect-workloads";
import { pushBlob, pushManifest, startTestRegistry } from "@/lib/registry/testing/registries";
import { ADMIN_TOKEN, newReport, startTestCluster, targetFor } from "@/lib/simulator/kubernetes/testing";

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

/** One small image per index: a config with env and history, a manifest without layers. */
async function pushImages(host: string, count: number): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const repository = `bench/app-${i % 50}`;
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { User: i % 3 === 0 ? "" : "1000", Env: ["PATH=/bin", `APP_INDEX=${i}`] },
      history: [{ created_by: `/bin/sh -c #(nop)  ENV APP_INDEX=${i}` }],
    });
    const configDigest = await pushBlob(host, repository, config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: [],
    });
    const tag = `v${i}`;
    const digest = await pushManifest(host, repository, tag, manifest, "application/vnd.oci.image.manifest.v1+json");
    digests.set(`${host}/${repository}:${tag}`, digest);
  }
  return digests;
}

function deployments(images: string[], pods: number): unknown[] {
  const replicas = Math.max(1, Math.round(pods / images.length));
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } },
    ...images.map((image, i) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `app-${i}`, namespace: "bench" },
      spec: {
        replicas,
        selector: { matchLabels: { app: `app-${i}` } },
        template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: "main", image }] } },
      },
    })),
  ];
}

export async function run(argv: string[]): Promise<number> {
  const imageCount = option(argv, "images", 2000);
  const podCount = option(argv, "pods", 20000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "rampart-bench-registry-"));
  const registry = await startTestRegistry({ dir, name: "plain", storage: path.join(dir, "storage") });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const pushStart = performance.now();
    const digests = await pushImages(registry.host, imageCount);
    console.log(`pushed ${imageCount} images in ${((performance.now() - pushStart) / 1000).toFixed(1)} s`);
    const sim = await startTestCluster({ objects: deployments([...digests.keys()], podCount), imageDigests: digests });
    const cache = memoryCache();
    let requests = 0;
    const poll = async (label: string) => {
      requests = 0;
      const workloads: WorkloadInput[] = [];
      for await (const w of collectKubernetesWorkloads(
        targetFor(sim, ADMIN_TOKEN),
        newReport(),
        AbortSignal.timeout(600_000),
      ))
        workloads.push(w);
      const inspector = createImageInspector({
        registries: [{ host: registry.host, insecure: true }],
        cache,
        budgetMs: 600_000,
        onRequest: () => requests++,
      });
      const start = performance.now();
      await inspector.inspect(workloads);
      inspector.close();
      const seconds = (performance.now() - start) / 1000;
      const read = workloads.flatMap((w) => w.containers).filter((c) => c.imageConfig && "value" in c.imageConfig);
      console.log(
        `${label}: ${read.length} containers with a config, ${imageCount} images in ${seconds.toFixed(2)} s ` +
          `(${(imageCount / seconds).toFixed(0)} configs/s), ${requests} registry requests`,
      );
    };
    await poll("cold poll");
    await poll("second poll");
    console.log(`pods ${sim.store.count("pods")}, peak RSS ${(peak / 1024 / 1024).toFixed(0)} MiB`);
    await sim.close();
    return 0;
  } finally {
    clearInterval(sampler);
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
