import { fileURLToPath } from "node:url";
import type { CollectionReport, TargetConnection, TargetSettings } from "@/lib/collectors/types";
import { ALL_RULES, type Identity } from "./auth";
import { generateServerTls, type ServerTls } from "./certs";
import { expandManifests } from "./expand";
import { generateFleet } from "./fleet";
import { loadManifests } from "./load";
import { startKubernetesSimulator, type KubernetesSimulator } from "./server";

/** A realistic multi-namespace manifest set: shop, payments and ops, with every workload kind. */
export const SHOP_MANIFESTS = fileURLToPath(new URL("./testdata/shop", import.meta.url));

export const ADMIN_TOKEN = "admin-token";

let sharedTls: Promise<ServerTls> | undefined;

/** One CA and certificate per test process: openssl is slow on a busy machine. */
export function testTls(): Promise<ServerTls> {
  sharedTls ??= generateServerTls();
  return sharedTls;
}

export async function startTestCluster(options: {
  manifestPaths?: string[];
  pods?: number;
  seed?: number;
  tokens?: Record<string, Identity>;
  /** Objects given as they are (after the manifest files). */
  objects?: unknown[];
  imageDigests?: ReadonlyMap<string, string>;
}): Promise<KubernetesSimulator> {
  const { objects: manifests, problems } = await loadManifests(options.manifestPaths ?? []);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const fleet = options.pods ? generateFleet(options.pods, options.seed ?? 1) : [];
  const given = options.objects ?? [];
  const { objects } = expandManifests([...manifests, ...given, ...fleet], {
    ...(options.imageDigests ? { imageDigests: options.imageDigests } : {}),
  });
  const tokens = { [ADMIN_TOKEN]: { user: "admin", grants: [{ rules: ALL_RULES }] }, ...options.tokens };
  return startKubernetesSimulator({ objects, tokens, tls: await testTls() });
}

export function targetFor(sim: KubernetesSimulator, token: string, settings: TargetSettings = {}): TargetConnection {
  return {
    name: "sim",
    platform: "kubernetes",
    url: sim.url,
    settings,
    credentials: { bearerToken: token, tlsCa: sim.tls.ca },
  };
}

export const newReport = (): CollectionReport => ({ warnings: [], complete: true });
