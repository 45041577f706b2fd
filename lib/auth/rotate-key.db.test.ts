import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolSettings } from "@/lib/db/client";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";
import { createApiToken } from "@/lib/services/tokens";
import { createUser } from "@/lib/services/users";
import { decryptCredentials } from "./credentials";
import { rotateKey } from "./rotate-key";
import { signInWithPassword } from "./sign-in";

const test = setupTestDatabase();
const SECRET = "kube-token-9d1e-plaintext";
const PASSWORD = "password-7c2b-plaintext";
let dataDir = "";

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
    const result = await rotateKey(test.db);
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
      const missing = await rotateKey(test.db, { RAMPART_SECRET_KEY: oldKey }).catch((error: Error) => error.message);
      expect(missing).toMatch(/RAMPART_NEW_SECRET_KEY/);
      expect(missing).not.toContain(oldKey);
      expect(await rotateKey(test.db, { RAMPART_SECRET_KEY: oldKey, RAMPART_NEW_SECRET_KEY: newKey })).toEqual({
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
});
