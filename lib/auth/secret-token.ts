import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url, with a prefix saying what the token is for. */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Tokens are high-entropy, so a fast hash is enough: nothing to brute-force, and lookups stay indexable. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
