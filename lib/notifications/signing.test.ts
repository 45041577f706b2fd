import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookSecretKey } from "./signing";

describe("Standard Webhooks signing", () => {
  it("signs id.timestamp.body with the base64-decoded key, as v1,<base64>", () => {
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString("base64")}`;
    const headers = signWebhook({ secret, id: "msg_1", timestamp: 1_700_000_000, body: '{"a":1}' });
    const byHand = createHmac("sha256", key).update('msg_1.1700000000.{"a":1}').digest("base64");
    expect(headers).toEqual({
      "webhook-id": "msg_1",
      "webhook-timestamp": "1700000000",
      "webhook-signature": `v1,${byHand}`,
    });
    expect(verifyWebhook({ secret, headers, body: '{"a":1}', nowSeconds: 1_700_000_010 })).toBe(true);
  });

  it("refuses a changed body, another secret, a stale timestamp and a non-v1 scheme", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ secret, id: "msg_2", timestamp: 1000, body: "x" });
    expect(verifyWebhook({ secret, headers, body: "y", nowSeconds: 1000 })).toBe(false);
    expect(verifyWebhook({ secret: generateWebhookSecret(), headers, body: "x", nowSeconds: 1000 })).toBe(false);
    expect(verifyWebhook({ secret, headers, body: "x", nowSeconds: 2000 })).toBe(false);
    const v2 = { ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") };
    expect(verifyWebhook({ secret, headers: v2, body: "x", nowSeconds: 1000 })).toBe(false);
  });

  it("accepts only whsec_ secrets of 24 to 64 bytes", () => {
    expect(webhookSecretKey(generateWebhookSecret())?.length).toBe(32);
    expect(webhookSecretKey(Buffer.alloc(32).toString("base64"))).toBeUndefined();
    expect(webhookSecretKey(`whsec_${Buffer.alloc(8).toString("base64")}`)).toBeUndefined();
    expect(webhookSecretKey("whsec_not base64!")).toBeUndefined();
  });
});
