import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptCredentialsWith } from "@/lib/auth/credentials";
import { setupTestDatabase } from "@/lib/db/testing";
import type { StoredMetadata } from "@/lib/registry/manifests";
import { reencryptCredentials } from "@/lib/services/keys";
import {
  databaseMetadataCache,
  deleteRegistryCredential,
  forgetMemoryCache,
  importDockerConfig,
  listRegistryCredentials,
  loadRegistryAccess,
  saveRegistryCredential,
} from "./index";

const test = setupTestDatabase();
const KEY = Buffer.alloc(32, 7);
const PASSWORD = "registry-password-5k2J";
const TOKEN = "registry-token-9vQe";
const by = { actor: "admin@example.test", source: "127.0.0.1" };

beforeAll(() => {
  process.env.RAMPART_SECRET_KEY = KEY.toString("base64");
});
afterAll(() => {
  delete process.env.RAMPART_SECRET_KEY;
});

async function rawRows(): Promise<string> {
  return JSON.stringify(await test.db.$queryRawUnsafe(`SELECT * FROM "RegistryCredential"`));
}

describe("registry credentials", () => {
  it("stores logins encrypted, lists them without secrets and audits each change", async () => {
    await saveRegistryCredential(
      test.db,
      { host: "Registry.Example.test:5000", username: "ci", password: PASSWORD },
      by,
    );
    await saveRegistryCredential(test.db, { host: "ghcr.io", token: TOKEN }, by);
    await saveRegistryCredential(test.db, { host: "10.0.0.5:5000", insecure: true }, by);
    const raw = await rawRows();
    expect(raw).toContain("registry.example.test:5000");
    expect(raw).not.toContain(PASSWORD);
    expect(raw).not.toContain(TOKEN);
    const listed = await listRegistryCredentials(test.db);
    expect(listed.map((r) => [r.host, r.login, r.username, r.insecure])).toEqual([
      ["10.0.0.5:5000", "anonymous", null, true],
      ["ghcr.io", "token", null, false],
      ["registry.example.test:5000", "basic", "ci", false],
    ]);
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);
    const access = await loadRegistryAccess(test.db);
    expect(access.find((a) => a.host === "ghcr.io")?.login).toEqual({ token: TOKEN });
    const audits = await test.db.auditLog.findMany({ where: { action: "registry.saved" } });
    expect(audits.map((a) => a.target).sort()).toEqual(["10.0.0.5:5000", "ghcr.io", "registry.example.test:5000"]);
    expect(JSON.stringify(audits)).not.toContain(PASSWORD);
  });

  it("deletes once: a second delete of the same registry (a double click, another admin) is a no-op", async () => {
    const id = await saveRegistryCredential(test.db, { host: "twice.example.test" }, by);
    await deleteRegistryCredential(test.db, id, by);
    await deleteRegistryCredential(test.db, id, by);
    expect((await listRegistryCredentials(test.db)).map((r) => r.host)).not.toContain("twice.example.test");
    const audits = await test.db.auditLog.findMany({
      where: { action: "registry.deleted", target: "twice.example.test" },
    });
    expect(audits).toHaveLength(1);
  });

  it("refuses a bad host, a CA that is not PEM and a username without its password", async () => {
    for (const input of [
      { host: "https://ghcr.io/v2" },
      { host: "../../etc" },
      { host: "ok.example.test", ca: "not a certificate" },
      { host: "ok.example.test", username: "only" },
      { host: "ok.example.test", username: "u", password: "p", token: "t" },
    ])
      await expect(saveRegistryCredential(test.db, input, by)).rejects.toThrow();
  });

  it("imports a hostile ~/.docker/config.json: saves logins, reports helpers without running them, skips the rest", async () => {
    const config = {
      auths: {
        "https://index.docker.io/v1/": { auth: Buffer.from(`hub-user:${PASSWORD}`).toString("base64") },
        "quay.io": { username: "robot", password: PASSWORD },
        "harbor.example.test": { registrytoken: TOKEN },
        "gcr.io": { identitytoken: TOKEN },
        "../../etc/passwd": { auth: Buffer.from("a:b").toString("base64") },
        "bad.example.test": { auth: "bm90LWEtcGFpcg==" },
        "empty.example.test": {},
      },
      credsStore: "desktop",
      credHelpers: { "123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login" },
    };
    const result = await importDockerConfig(test.db, JSON.stringify(config), by);
    expect(result.saved).toEqual(["docker.io", "quay.io", "harbor.example.test"]);
    expect(result.helpers).toEqual(['credsStore "desktop"', "credHelpers for 123.dkr.ecr.us-east-1.amazonaws.com"]);
    expect(Object.fromEntries(result.skipped.map((s) => [s.host, s.reason]))).toEqual({
      "gcr.io": expect.stringMatching(/identity token .* not supported/),
      "../../etc/passwd": "it is not a registry host name",
      "bad.example.test": "its auth field is not base64 of user:password",
      "empty.example.test": "it holds no username and password",
    });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    const hub = (await loadRegistryAccess(test.db)).find((a) => a.host === "docker.io");
    expect(hub?.login).toEqual({ username: "hub-user", password: PASSWORD });
    await expect(importDockerConfig(test.db, "{ not json", by)).rejects.toThrow("The file is not JSON");
    await expect(importDockerConfig(test.db, " ".repeat(300 * 1024), by)).rejects.toThrow(/larger than 256 KiB/);
    expect(await test.db.auditLog.count({ where: { action: "registry.imported" } })).toBe(1);
  });

  it("rotate-key re-encrypts registry logins with the target credentials", async () => {
    const newKey = Buffer.alloc(32, 9);
    const rotated = await reencryptCredentials(test.db, { oldKey: KEY, newKey, keySource: "environment" });
    expect(rotated).toBe(await test.db.registryCredential.count({ where: { credentials: { not: null } } }));
    const row = await test.db.registryCredential.findUniqueOrThrow({ where: { host: "ghcr.io" } });
    expect(decryptCredentialsWith(newKey, row.credentials ?? "")).toEqual({ token: TOKEN });
  });
});

describe("registry metadata cache", () => {
  it("is shared through the table: another process reads what one stored", async () => {
    const digest = `sha256:${"c".repeat(64)}`;
    const value: StoredMetadata = {
      kind: "config",
      version: 1,
      platform: "linux/amd64",
      user: "65532",
      envSecrets: [{ name: "API_TOKEN", rule: "TOKEN", index: 0 }],
      historySecrets: [],
    };
    await databaseMetadataCache(test.db).put(digest, value);
    forgetMemoryCache();
    expect(await databaseMetadataCache(test.db).get(digest)).toEqual(value);
    expect(await databaseMetadataCache(test.db).get(`sha256:${"d".repeat(64)}`)).toBeUndefined();
  });
});
