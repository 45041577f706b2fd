import type { ImageConfigFacts } from "@/lib/domain/facts";
import { RegistryError } from "./errors";
import type { HttpResponse } from "./http";
import {
  choosePlatform,
  INDEX_TYPES,
  MANIFEST_TYPES,
  reduceConfig,
  reduceManifest,
  sha256Digest,
  type StoredMetadata,
} from "./manifests";
import { parseRegistryReference, type RegistryReference } from "./reference";
import { createLimit, RegistryTransport, type RegistryAccess, type TransportOptions } from "./transport";

/** Metadata by digest, shared by every worker (the database) with a memory layer in front. */
export interface MetadataCache {
  get(digest: string): Promise<StoredMetadata | undefined>;
  put(digest: string, value: StoredMetadata): Promise<void>;
}

export interface RegistryClientOptions extends Partial<TransportOptions> {
  registries?: RegistryAccess[];
  cache?: MetadataCache;
  maxManifestBytes?: number;
  maxConfigBytes?: number;
}

export interface InspectRequest {
  image: string;
  /** `sha256:…` of the running image, when the runtime reported it: no tag lookup then. */
  runningDigest?: string;
  /** `os/architecture[/variant]` of the node; linux/amd64 when unknown. */
  platform?: string;
}

export const DEFAULT_PLATFORM = "linux/amd64";

/** Memory-only cache: what tests and one-off CLI runs use when no database is at hand. */
export function memoryCache(): MetadataCache & { size(): number } {
  const entries = new Map<string, StoredMetadata>();
  return {
    get: async (digest) => entries.get(digest),
    put: async (digest, value) => void entries.set(digest, value),
    size: () => entries.size,
  };
}

/**
 * Read-only OCI distribution client: GET and HEAD on manifests and config blobs, never layers. One client serves
 * one poll; concurrent lookups of one digest share a request.
 */
export function createRegistryClient(options: RegistryClientOptions = {}) {
  const transportOptions: TransportOptions = {
    timeoutMs: options.timeoutMs ?? 10_000,
    concurrency: options.concurrency ?? 8,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 250,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  const limit = createLimit(transportOptions.concurrency);
  const cache = options.cache ?? memoryCache();
  const transports = new Map<string, RegistryTransport>();
  const pending = new Map<string, Promise<unknown>>();
  const maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
  const maxConfigBytes = options.maxConfigBytes ?? 8 * 1024 * 1024;

  function transportFor(host: string): RegistryTransport {
    let transport = transports.get(host);
    if (!transport) {
      const access = options.registries?.find((r) => r.host === host) ?? { host };
      transports.set(host, (transport = new RegistryTransport(access, transportOptions, limit)));
    }
    return transport;
  }

  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let promise = pending.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load().finally(() => pending.delete(key));
      pending.set(key, promise);
    }
    return promise;
  }

  async function cached<T extends StoredMetadata>(digest: string, load: () => Promise<T>): Promise<T> {
    const hit = await cache.get(digest);
    if (hit && hit.version === 1) return hit as T;
    return once(digest, async () => {
      const value = await load();
      await cache.put(digest, value);
      return value;
    });
  }

  function verified(response: HttpResponse, digest: string, what: string): Buffer {
    if (response.status === 404) throw new RegistryError("not-found", `The registry has no ${what} ${digest}`);
    if (response.status === 403)
      throw new RegistryError("unauthorized", `The registry denied access to ${what} ${digest} (403)`);
    if (response.status !== 200)
      throw new RegistryError("server-error", `The registry answered ${response.status} for ${what} ${digest}`);
    const actual = sha256Digest(response.body);
    if (actual !== digest)
      throw new RegistryError(
        "digest-mismatch",
        `The registry sent ${what} ${digest} with content of digest ${actual}`,
      );
    return response.body;
  }

  function manifestAt(ref: RegistryReference, digest: string) {
    return cached(digest, async () => {
      const response = await transportFor(ref.host).fetch({
        path: `${ref.repository}/manifests/${digest}`,
        method: "GET",
        accept: [...MANIFEST_TYPES, ...INDEX_TYPES],
        maxBytes: maxManifestBytes,
        followRedirects: false,
        repository: ref.repository,
      });
      const body = verified(response, digest, "manifest");
      return reduceManifest(body, String(response.headers["content-type"] ?? ""), digest);
    });
  }

  function configAt(ref: RegistryReference, digest: string) {
    return cached(digest, async () => {
      const response = await transportFor(ref.host).fetch({
        path: `${ref.repository}/blobs/${digest}`,
        method: "GET",
        accept: ["application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json", "*/*"],
        maxBytes: maxConfigBytes,
        followRedirects: true,
        repository: ref.repository,
      });
      return reduceConfig(verified(response, digest, "image config"), digest);
    });
  }

  /** The digest a tag points at now: HEAD, then (on a cache miss) GET, which must agree. */
  async function resolveTag(ref: RegistryReference): Promise<string> {
    const transport = transportFor(ref.host);
    const request = {
      path: `${ref.repository}/manifests/${ref.tag}`,
      accept: [...MANIFEST_TYPES, ...INDEX_TYPES],
      maxBytes: maxManifestBytes,
      followRedirects: false,
      repository: ref.repository,
    };
    const head = await transport.fetch({ ...request, method: "HEAD" });
    const tagName = `${ref.host}/${ref.repository}:${ref.tag}`;
    if (head.status === 404) throw new RegistryError("not-found", `The registry has no tag ${tagName}`);
    const announced = String(head.headers["docker-content-digest"] ?? "");
    if (head.status === 200 && /^sha256:[0-9a-f]{64}$/.test(announced) && (await cache.get(announced)))
      return announced;
    const got = await transport.fetch({ ...request, method: "GET" });
    if (got.status === 404) throw new RegistryError("not-found", `The registry has no tag ${tagName}`);
    if (got.status !== 200)
      throw new RegistryError("server-error", `The registry answered ${got.status} for ${tagName}`);
    const digest = sha256Digest(got.body);
    if (announced && announced !== digest)
      throw new RegistryError(
        "tag-moved",
        `Tag ${tagName} moved while it was read (${announced.slice(0, 19)}… then ${digest.slice(0, 19)}…); the next poll reads it again`,
      );
    await cache.put(digest, reduceManifest(got.body, String(got.headers["content-type"] ?? ""), digest));
    return digest;
  }

  /** The image's config facts, or a RegistryError whose message says why it could not be read. */
  async function inspectImage(request: InspectRequest): Promise<ImageConfigFacts> {
    const ref = parseRegistryReference(request.image);
    if (!ref)
      throw new RegistryError("unsupported", `"${request.image.slice(0, 200)}" is not a registry image reference`);
    const source: ImageConfigFacts["digestSource"] = request.runningDigest
      ? "running"
      : ref.digest
        ? "reference"
        : "registry";
    const digest =
      request.runningDigest ??
      ref.digest ??
      (await once(`tag:${ref.host}/${ref.repository}:${ref.tag}`, () => resolveTag(ref)));
    const wanted = request.platform ?? DEFAULT_PLATFORM;
    let manifest = await manifestAt(ref, digest);
    let platformDigest: string | undefined;
    if (manifest.kind === "index") {
      const entry = choosePlatform(manifest.manifests, wanted);
      if (!entry)
        throw new RegistryError(
          "unsupported",
          `Image index ${digest} has no ${wanted} image (it lists ${manifest.manifests.map((m) => m.platform).join(", ") || "none"})`,
        );
      platformDigest = entry.digest;
      manifest = await manifestAt(ref, entry.digest);
    }
    if (manifest.kind !== "manifest")
      throw new RegistryError("unsupported", `Digest ${digest} is not an image manifest`);
    const config = await configAt(ref, manifest.config);
    if (config.kind !== "config")
      throw new RegistryError("unsupported", `Blob ${manifest.config} is not an image config`);
    return {
      digest,
      digestSource: source,
      ...(platformDigest ? { platformDigest } : {}),
      platform: config.platform || wanted,
      configDigest: manifest.config,
      user: config.user,
      envSecrets: config.envSecrets,
      historySecrets: config.historySecrets,
    };
  }

  return { inspectImage };
}

export type RegistryClient = ReturnType<typeof createRegistryClient>;

/**
 * The digests one image is known by: what its reference resolved to (an index or a manifest) and, for an index,
 * the platform manifest read. A scanner report keyed by any of them is about this image.
 */
export function relatedDigests(facts: Pick<ImageConfigFacts, "digest" | "platformDigest">): string[] {
  return [facts.digest, ...(facts.platformDigest ? [facts.platformDigest] : [])];
}
