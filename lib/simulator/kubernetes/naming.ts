import { createHash } from "node:crypto";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A stable UUID for an object, so a simulated cluster is the same every time it is built. */
export function uidFor(key: string): string {
  const h = sha256(`uid:${key}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function nameSuffix(key: string, length: number): string {
  const h = sha256(`suffix:${key}`);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALPHABET.length];
  return out;
}

/** `sha256:…` of an image: the pinned digest when the reference has one, else one derived from the reference. */
export function imageDigest(image: string): string {
  const pinned = image.match(/@(sha256:[a-f0-9]{64})$/)?.[1];
  return pinned ?? `sha256:${sha256(`image:${image}`)}`;
}

/** What a container runtime reports in `status.containerStatuses[].imageID`: repository plus digest. */
export function runningImageId(image: string, digest = imageDigest(image)): string {
  const repository = image.replace(/@sha256:[a-f0-9]{64}$/, "").replace(/:[^/:]+$/, "");
  const qualified = repository.includes("/") ? repository : `docker.io/library/${repository}`;
  return `${qualified}@${digest}`;
}

/** A small seeded generator (mulberry32): same seed, same fleet. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
