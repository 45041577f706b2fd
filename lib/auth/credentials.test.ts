import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { decryptCredentials, encryptCredentials } from "./credentials";

const saved = process.env.RAMPART_SECRET_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.RAMPART_SECRET_KEY;
  else process.env.RAMPART_SECRET_KEY = saved;
});

describe("credentials", () => {
  it("round-trip through AES-256-GCM with a hex or base64 key, never showing the plaintext", () => {
    for (const key of [randomBytes(32).toString("hex"), randomBytes(32).toString("base64")]) {
      process.env.RAMPART_SECRET_KEY = key;
      const text = encryptCredentials({ token: "plain-token-value" });
      expect(text).toMatch(/^v1:/);
      expect(text).not.toContain("plain-token-value");
      expect(encryptCredentials({ token: "plain-token-value" })).not.toBe(text);
      expect(decryptCredentials(text)).toEqual({ token: "plain-token-value" });
    }
  });

  it("refuse tampered ciphertext and a different key", () => {
    process.env.RAMPART_SECRET_KEY = randomBytes(32).toString("hex");
    const text = encryptCredentials({ token: "t" });
    const parts = text.split(":");
    const data = Buffer.from(parts[3] ?? "", "base64");
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => decryptCredentials([parts[0], parts[1], parts[2], data.toString("base64")].join(":"))).toThrow(
      /cannot be decrypted/,
    );
    process.env.RAMPART_SECRET_KEY = randomBytes(32).toString("hex");
    expect(() => decryptCredentials(text)).toThrow(/cannot be decrypted/);
  });

  it("name the variable, not its value, when the key is malformed", () => {
    process.env.RAMPART_SECRET_KEY = "short-secret-value";
    expect(() => encryptCredentials({})).toThrow(/RAMPART_SECRET_KEY/);
    expect(() => encryptCredentials({})).not.toThrow(/short-secret-value/);
  });
});
