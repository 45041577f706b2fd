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

/** `sha256:…` from a RepoDigests entry such as `registry/app@sha256:…`. */
export function digestFromRepoDigests(repoDigests: string[] | null | undefined): string | undefined {
  const first = repoDigests?.find((entry) => entry.includes("@sha256:"));
  return first?.slice(first.indexOf("@") + 1);
}
