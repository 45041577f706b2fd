import type { DockerContainerFacts } from "@/lib/domain/facts";

export interface ImageReference {
  /** Registry and repository, without tag or digest. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `host:5000/team/app:1.2@sha256:…`; a colon before the last `/` belongs to the registry port. */
export function parseImageReference(reference: string): ImageReference {
  const [nameAndTag = "", digest] = reference.trim().split("@", 2);
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > slash;
  const repository = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The OCI digest grammar as CHECKS.md check 8 fixes it: a placeholder or a truncated digest is no digest. */
const VALID_DIGEST = /@(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export function hasDigest(reference: string): boolean {
  return VALID_DIGEST.test(reference.trim());
}

export const DIGEST_PLACEHOLDER = "sha256:<digest>";

/**
 * The reference pinned to a digest, keeping a meaningful tag for readers (never `latest`). An invalid digest
 * in the reference is dropped for the placeholder, which fails the check until someone fills it in.
 */
export function pinnedReference(reference: string, digest: string | undefined): string {
  const parsed = parseImageReference(reference);
  const tag = parsed.tag && parsed.tag !== "latest" ? `:${parsed.tag}` : "";
  const kept = parsed.digest && hasDigest(`@${parsed.digest}`) ? parsed.digest : undefined;
  return `${parsed.repository}${tag}@${digest ?? kept ?? DIGEST_PLACEHOLDER}`;
}

/**
 * A digest a registry resolves for a Docker container's image under the name it was run by: its `RepoDigests`
 * entry of the same repository, else the registry's digest for the tag. Never the image ID (`Image`), which is
 * the local config digest and no registry serves: without one, the fix shows the placeholder, which fails.
 */
export function dockerRegistryDigest(facts: DockerContainerFacts): string | undefined {
  const repository = parseImageReference(facts.container.Config.Image ?? facts.image).repository;
  const entry = facts.imageInspect?.RepoDigests?.find((d) => parseImageReference(d).repository === repository);
  const digest = entry && hasDigest(entry) ? parseImageReference(entry).digest : undefined;
  return digest ?? (facts.imageConfig && "value" in facts.imageConfig ? facts.imageConfig.value.digest : undefined);
}

/** Evidence for an unpinned Docker image: which digest its fix pins, or why it shows the placeholder. */
export function dockerPinEvidence(facts: DockerContainerFacts): string {
  const digest = dockerRegistryDigest(facts);
  if (digest) return `The fix pins the registry digest ${digest.slice(0, 19)}…`;
  return "No registry digest is known for this image (its image ID is a local digest no registry resolves): the fix shows a placeholder that fails until it is replaced.";
}
