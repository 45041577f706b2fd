import { createHash } from "node:crypto";
import { findSecretsInEnv, findSecretsInHistory, parseEnvEntry } from "@/lib/checks/secrets";
import type { ImageConfigFacts } from "@/lib/domain/facts";
import { RegistryError } from "./errors";

export const INDEX_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];
export const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

/**
 * What the cache keeps per digest (content never changes under a digest). `version` changes when the reduction
 * does, so older rows are read again rather than trusted.
 */
export type StoredMetadata =
  | { kind: "index"; version: 1; manifests: { digest: string; platform: string }[] }
  | { kind: "manifest"; version: 1; config: string }
  | ({ kind: "config"; version: 1; platform: string } & Pick<
      ImageConfigFacts,
      "user" | "envSecrets" | "historySecrets"
    >);

export const METADATA_VERSION = 1;

export function sha256Digest(body: Buffer): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

function parseJson(body: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryError("not-json", `The ${what} is not JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new RegistryError("not-json", `The ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function platformName(platform: unknown): string {
  const p = (platform ?? {}) as { os?: unknown; architecture?: unknown; variant?: unknown };
  const parts = [p.os, p.architecture, p.variant].filter(
    (part): part is string => typeof part === "string" && part !== "",
  );
  return parts.join("/");
}

/** An index (a platform list) or a single image manifest, reduced to the digests that lead to a config. */
export function reduceManifest(body: Buffer, mediaType: string | undefined, digest: string): StoredMetadata {
  const json = parseJson(body, `manifest ${digest}`);
  const type = typeof json.mediaType === "string" ? json.mediaType : (mediaType ?? "");
  if (Array.isArray(json.manifests) || INDEX_TYPES.includes(type)) {
    const manifests = (Array.isArray(json.manifests) ? json.manifests : [])
      .map((entry: { digest?: unknown; platform?: unknown }) => ({
        digest: typeof entry?.digest === "string" ? entry.digest : "",
        platform: platformName(entry?.platform),
      }))
      .filter((entry) => DIGEST.test(entry.digest));
    return { kind: "index", version: 1, manifests };
  }
  const config = (json.config ?? {}) as { digest?: unknown };
  if (json.schemaVersion === 1 || typeof config.digest !== "string" || !DIGEST.test(config.digest))
    throw new RegistryError("unsupported", `Manifest ${digest} names no config (schema 1 manifests are not read)`);
  return { kind: "manifest", version: 1, config: config.digest };
}

/** The index entry for a platform: exact match, then without the variant; undefined when the index lacks it. */
export function choosePlatform(
  manifests: { digest: string; platform: string }[],
  platform: string,
): { digest: string; platform: string } | undefined {
  const [os, arch] = platform.split("/");
  return (
    manifests.find((m) => m.platform === platform) ??
    manifests.find((m) => m.platform.split("/").slice(0, 2).join("/") === `${os}/${arch}`)
  );
}

/** A config blob reduced to its user and where secrets are; no value and no history text is kept. */
export function reduceConfig(body: Buffer, digest: string): StoredMetadata {
  const json = parseJson(body, `image config ${digest}`);
  const config = (json.config ?? {}) as { User?: unknown; Env?: unknown };
  const env = Array.isArray(config.Env) ? config.Env.filter((e): e is string => typeof e === "string") : [];
  const history = Array.isArray(json.history) ? json.history : [];
  const steps = history.map((h: { created_by?: unknown }) => ({
    CreatedBy: typeof h?.created_by === "string" ? h.created_by : "",
  }));
  return {
    kind: "config",
    version: 1,
    platform: platformName(json),
    user: typeof config.User === "string" ? config.User : "",
    envSecrets: findSecretsInEnv(env.map(parseEnvEntry), { values: false }).map(({ name, rule, index }) => ({
      name,
      rule,
      index,
    })),
    historySecrets: findSecretsInHistory(steps),
  };
}
