import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Standard Webhooks (standardwebhooks.com): the secret is `whsec_` + base64 key bytes; the signature is the
// base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, sent as `v1,<signature>`.

const PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

/** The key bytes of a `whsec_` secret, or undefined when it is not one (24 to 64 bytes, as the spec asks). */
export function webhookSecretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  const text = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, "base64");
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

function signature(key: Buffer, id: string, timestamp: number, body: string): string {
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signWebhook(input: { secret: string; id: string; timestamp: number; body: string }): SignedHeaders {
  const key = webhookSecretKey(input.secret);
  if (!key) throw new Error("the webhook secret is not a whsec_ secret");
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestamp),
    "webhook-signature": `v1,${signature(key, input.id, input.timestamp, input.body)}`,
  };
}

/** What a receiver does: true when one of the space-separated `v1,` signatures matches and the time is near. */
export function verifyWebhook(input: {
  secret: string;
  headers: Partial<Record<keyof SignedHeaders, string>>;
  body: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const key = webhookSecretKey(input.secret);
  const { "webhook-id": id, "webhook-timestamp": stamp, "webhook-signature": signatures } = input.headers;
  if (!key || !id || !stamp || !signatures || !/^\d+$/.test(stamp)) return false;
  const timestamp = Number(stamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(key, id, timestamp, input.body));
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",", 2);
    const given = Buffer.from(value ?? "");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
