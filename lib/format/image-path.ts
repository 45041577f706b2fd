import { DIGEST_PATTERN } from "@/lib/reports/model";

/** `/images/<digest>` for any digest an image is known by (config, platform manifest, repository); null for none. */
export function imagePath(digest: string | null | undefined): string | null {
  return digest && DIGEST_PATTERN.test(digest) ? `/images/${digest}` : null;
}

/** The digest in a URL segment (`sha256:…`, or `sha256%3A…` as some clients send it); null when it is none. */
export function digestFromSegment(segment: string): string | null {
  const digest = segment.replace(/%3a/i, ":").toLowerCase();
  return DIGEST_PATTERN.test(digest) ? digest : null;
}
