import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { poolSettings } from "@/lib/db/client";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { createApiToken } from "@/lib/services/tokens";
import { createUser } from "@/lib/services/users";
import { decryptCredentials, encryptCredentialsWith } from "./credentials";
import { rotateKey } from "./rotate-key";
import { signInWithPassword } from "@/lib/services/sign-in";

const test = setupTestDatabase();
const SECRET = "kube-token-9d1e-plaintext";
const PASSWORD = "password-7c2b-plaintext";
let dataDir = "";
const fresh: Db[] = [];
afterAll(async () => {
  for (const db of fresh) await db.$disconnect();
});

/** A client on a new connection, as rotate-key reads the rows back through. */
async function reopen(): Promise<Db> {
  const db = createDb(test.url);
  fresh.push(db);
  return db;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "rampart-rotate-"));
  delete process.env.RAMPART_SECRET_KEY;
  process.env.RAMPART_DATA_DIR = dataDir;
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

/** Every row of every table as text, read with plain SQL rather than through the application. */
async function dumpAllTables(url: string): Promise<string> {
  const client = new pg.Client(poolSettings(url));
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await client.query(`SELECT * FROM "${tablename}"`);
      parts.push(JSON.stringify(rows.rows));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

describe("secrets at rest", () => {
  it("no table holds a credential, password, session or API token in plain text", async () => {
    await createTarget(test.db, {
      name: "k8s",
      platform: "kubernetes",
      url: "https://127.0.0.1:6443",
      credentials: { token: SECRET },
    });
    const user = await createUser(
      test.db,
      { email: "ops@example.test", role: "admin", password: PASSWORD },
      { email: "system" },
    );
    const session = await signInWithPassword(test.db, { email: "ops@example.test", password: PASSWORD, meta: {} });
    if (!session.ok) throw new Error(session.error);
    const api = await createApiToken(
      test.db,
      user.id,
      { name: "ci", role: "viewer", expiresInDays: 1 },
      { email: "system" },
    );
    const dump = await dumpAllTables(test.url);
    expect(dump).toContain("k8s");
    for (const secret of [SECRET, PASSWORD, session.token, api.token]) expect(dump).not.toContain(secret);
  });

  it("rotate-key re-encrypts every credential under a new 0600 key file, and the old key no longer opens them", async () => {
    const keyFile = path.join(dataDir, "secret.key");
    const oldKey = await readFile(keyFile, "utf8");
    const before = await test.db.target.findFirstOrThrow({ where: { name: "k8s" } });
    const result = await rotateKey({ db: test.db, reopen });
    expect(result).toEqual({ rotated: 1, keyFile });
    expect(await readFile(keyFile, "utf8")).not.toBe(oldKey);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const after = await test.db.target.findFirstOrThrow({ where: { name: "k8s" } });
    expect(after.credentials).not.toBe(before.credentials);
    expect(decryptCredentials(after.credentials ?? "")).toEqual({ token: SECRET });
    expect(() => decryptCredentials(before.credentials ?? "")).toThrow(/cannot be decrypted/);
    expect(await test.db.auditLog.count({ where: { action: "key.rotated" } })).toBe(1);
  });

  it("with RAMPART_SECRET_KEY it needs RAMPART_NEW_SECRET_KEY and names only the variables", async () => {
    const oldKey = Buffer.alloc(32, 1).toString("base64");
    const newKey = Buffer.alloc(32, 2).toString("hex");
    process.env.RAMPART_SECRET_KEY = oldKey;
    try {
      await test.db.target.deleteMany({});
      await createTarget(test.db, {
        name: "env",
        platform: "kubernetes",
        url: "https://127.0.0.1:6443",
        credentials: { token: SECRET },
      });
      const missing = await rotateKey({ db: test.db, reopen, env: { RAMPART_SECRET_KEY: oldKey } }).catch(
        (error: Error) => error.message,
      );
      expect(missing).toMatch(/RAMPART_NEW_SECRET_KEY/);
      expect(missing).not.toContain(oldKey);
      const env = { RAMPART_SECRET_KEY: oldKey, RAMPART_NEW_SECRET_KEY: newKey };
      expect(await rotateKey({ db: test.db, reopen, env })).toEqual({
        rotated: 1,
        keyFile: null,
      });
      process.env.RAMPART_SECRET_KEY = newKey;
      const row = await test.db.target.findFirstOrThrow({ where: { name: "env" } });
      expect(decryptCredentials(row.credentials ?? "")).toEqual({ token: SECRET });
    } finally {
      delete process.env.RAMPART_SECRET_KEY;
    }
  });

  it("a row the old key does not open stops the rotation before any write: the old key file keeps working", async () => {
    await test.db.target.deleteMany({});
    const keyFile = path.join(dataDir, "secret.key");
    const keyBefore = await readFile(keyFile, "utf8");
    await createTarget(test.db, {
      name: "good",
      platform: "kubernetes",
      url: "https://a:6443",
      credentials: { token: SECRET },
    });
    const good = await test.db.target.findFirstOrThrow({ where: { name: "good" } });
    await createTarget(test.db, {
      name: "bad",
      platform: "kubernetes",
      url: "https://b:6443",
      credentials: { token: "x" },
    });
    await test.db.target.update({
      where: { name: "bad" },
      data: { credentials: encryptCredentialsWith(randomBytes(32), { token: "x" }) },
    });
    const audits = await test.db.auditLog.count({ where: { action: "key.rotated" } });

    await expect(rotateKey({ db: test.db, reopen })).rejects.toThrow(/cannot be decrypted/);
    expect(await readFile(keyFile, "utf8")).toBe(keyBefore);
    expect(existsSync(`${keyFile}.new`)).toBe(false);
    const after = await test.db.target.findFirstOrThrow({ where: { name: "good" } });
    expect(after.credentials).toBe(good.credentials);
    expect(decryptCredentials(after.credentials ?? "")).toEqual({ token: SECRET });
    expect(await test.db.auditLog.count({ where: { action: "key.rotated" } })).toBe(audits);
  });

  it("a rotation that stops after its commit keeps the new key in secret.key.new and the next run finishes it", async () => {
    await test.db.target.deleteMany({});
    const keyFile = path.join(dataDir, "secret.key");
    const keyBefore = await readFile(keyFile, "utf8");
    await createTarget(test.db, {
      name: "k8s",
      platform: "kubernetes",
      url: "https://a:6443",
      credentials: { token: SECRET },
    });
    const failingReopen = async (): Promise<Db> => {
      throw new Error("connection lost");
    };

    const message = await rotateKey({ db: test.db, reopen: failingReopen }).catch((error: Error) => error.message);
    expect(message).toMatch(/connection lost; the old key stays in .*secret\.key, the new one in .*secret\.key\.new/);
    expect(await readFile(keyFile, "utf8")).toBe(keyBefore);
    expect((await stat(`${keyFile}.new`)).mode & 0o777).toBe(0o600);

    const result = await rotateKey({ db: test.db, reopen });
    expect(result).toEqual({ rotated: 1, keyFile });
    expect(existsSync(`${keyFile}.new`)).toBe(false);
    const row = await test.db.target.findFirstOrThrow({ where: { name: "k8s" } });
    expect(decryptCredentials(row.credentials ?? "")).toEqual({ token: SECRET });
  });
});
