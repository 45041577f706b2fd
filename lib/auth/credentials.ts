import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

let cachedKey: { source: string; key: Buffer } | undefined;

export function parseKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  const decoded = Buffer.from(trimmed, "base64");
  return decoded.length === KEY_BYTES ? decoded : undefined;
}

export function keyFilePath(): string {
  return path.resolve(process.env.RAMPART_DATA_DIR || "./data", "secret.key");
}

/** Reads the key file, creating it (mode 0600, exclusive so two processes agree) on first use. */
function keyFromFile(file: string): Buffer {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(KEY_BYTES).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = parseKey(readFileSync(file, "utf8"));
  if (!key) throw new Error(`The key file ${file} does not hold 32 bytes in base64 or hex`);
  return key;
}

/** Drops the cached key, so the next use reads the key file again (after `rampart rotate-key` replaced it). */
export function forgetKey(): void {
  cachedKey = undefined;
}

/** The key in use: RAMPART_SECRET_KEY, else the key file (created on first use). */
export function loadKey(): Buffer {
  const fromEnv = process.env.RAMPART_SECRET_KEY;
  // Keyed by the value too, so a changed variable (tests, key rotation) is not served a stale key.
  const source = fromEnv ? `env:${fromEnv}` : keyFilePath();
  if (cachedKey?.source === source) return cachedKey.key;
  let key: Buffer;
  if (fromEnv) {
    const parsed = parseKey(fromEnv);
    if (!parsed) throw new Error("RAMPART_SECRET_KEY must be 32 bytes in base64 or 64 hex characters");
    key = parsed;
  } else {
    key = keyFromFile(source);
  }
  cachedKey = { source, key };
  return key;
}

/** AES-256-GCM ciphertext of the JSON of `value`: `v1:<iv>:<tag>:<data>`, base64 parts. */
export function encryptCredentials(value: unknown): string {
  return encryptCredentialsWith(loadKey(), value);
}

export function decryptCredentials<T = Record<string, unknown>>(text: string): T {
  return decryptCredentialsWith<T>(loadKey(), text);
}

/** With an explicit key, for `rampart rotate-key`, which holds the old and the new key at once. */
export function encryptCredentialsWith(key: Buffer, value: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function decryptCredentialsWith<T = Record<string, unknown>>(key: Buffer, text: string): T {
  const [version, iv, tag, data] = text.split(":");
  if (version !== VERSION || !iv || !tag || data === undefined) {
    throw new Error("Stored credentials are not in the v1 format");
  }
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  try {
    const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as T;
  } catch {
    throw new Error("Stored credentials cannot be decrypted with the current key (RAMPART_SECRET_KEY or the key file)");
  }
}
