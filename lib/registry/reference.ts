import { parseImageReference } from "@/lib/checks/support/images";

/** An image reference split the way the distribution API addresses it. */
export interface RegistryReference {
  /** `host[:port]` as credentials name it (`docker.io` for Docker Hub). */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST = /^[a-zA-Z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/;

/**
 * `nginx` → docker.io/library/nginx:latest; `127.0.0.1:5000/app@sha256:…`; null for anything the API cannot name
 * (the reference comes from a workload: it is untrusted text).
 */
export function parseRegistryReference(image: string): RegistryReference | null {
  const parsed = parseImageReference(image);
  const slash = parsed.repository.indexOf("/");
  const first = slash < 0 ? "" : parsed.repository.slice(0, slash);
  const isHost = first.includes(".") || first.includes(":") || first === "localhost";
  let host = isHost ? first : "docker.io";
  let repository = isHost ? parsed.repository.slice(slash + 1) : parsed.repository;
  if (host === "index.docker.io" || host === "registry-1.docker.io") host = "docker.io";
  if (host === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  if (!HOST.test(host) || !REPOSITORY.test(repository)) return null;
  if (parsed.digest !== undefined && !DIGEST.test(parsed.digest)) return null;
  if (parsed.tag !== undefined && !TAG.test(parsed.tag)) return null;
  const tag = parsed.tag ?? (parsed.digest ? undefined : "latest");
  return { host, repository, ...(tag ? { tag } : {}), ...(parsed.digest ? { digest: parsed.digest } : {}) };
}

/** `ghcr.io`, `10.0.0.5:5000`, `[::1]:5000`: a host name as image references and credentials name it. */
export function isRegistryHost(host: string): boolean {
  return HOST.test(host) && !host.startsWith(".") && !host.includes("..");
}

/** The API base of a registry host: Docker Hub's differs from its name; `insecure` hosts speak plain HTTP. */
export function registryBaseUrl(host: string, insecure: boolean): URL {
  const apiHost = host === "docker.io" ? "registry-1.docker.io" : host;
  return new URL(`${insecure ? "http" : "https"}://${apiHost}/v2/`);
}
