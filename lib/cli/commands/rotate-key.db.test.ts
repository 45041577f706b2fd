import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decryptCredentials, forgetKey } from "@/lib/auth/credentials";
import { createDb } from "@/lib/db";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createTarget } from "@/lib/services/targets";
import { run } from "./rotate-key";

const SECRET = "kube-token-rotate-cli";
const saved = { DATABASE_URL: process.env.DATABASE_URL, RAMPART_DATA_DIR: process.env.RAMPART_DATA_DIR };
let dataDir = "";

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "rampart-rotate-cli-"));
  // The embedded database of a data folder, as `rampart serve` uses it, whatever the suite's DATABASE_URL.
  delete process.env.DATABASE_URL;
  delete process.env.RAMPART_SECRET_KEY;
  process.env.RAMPART_DATA_DIR = dataDir;
  forgetKey();
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  forgetKey();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the embedded server of the data folder, runs `fn` against it, stops it (a serve start and stop). */
async function withServer<T>(fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const server = await startEmbeddedPostgres({ dataDir });
  const db = createDb(server.url);
  try {
    await migrate(server.url);
    return await fn(db);
  } finally {
    await db.$disconnect();
    await server.stop();
  }
}

async function readAllCredentials(): Promise<unknown[]> {
  forgetKey();
  return withServer(async (db) => {
    const rows = await db.target.findMany({ orderBy: { name: "asc" } });
    return rows.map((row) => decryptCredentials(row.credentials ?? ""));
  });
}

describe("rampart rotate-key on the embedded database", () => {
  it("is refused while a server holds the database, and leaves the key file as it was", async () => {
    await withServer(async (db) => {
      await createTarget(db, {
        name: "a",
        platform: "kubernetes",
        url: "https://a:6443",
        credentials: { token: SECRET },
      });
      const keyBefore = await readFile(path.join(dataDir, "secret.key"), "utf8");
      const errors = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      try {
        expect(await run([])).toBe(1);
        expect(errors.mock.calls.join("")).toMatch(/embedded database in .* is in use by process \d+/);
      } finally {
        errors.mockRestore();
      }
      expect(await readFile(path.join(dataDir, "secret.key"), "utf8")).toBe(keyBefore);
    });
    expect(await readAllCredentials()).toEqual([{ token: SECRET }]);
  });

  it("with the server stopped, rotates, and every credential opens with the new key file after a restart", async () => {
    await withServer(async (db) => {
      await createTarget(db, { name: "b", platform: "docker", url: "tcp://b:2376", credentials: { token: "second" } });
    });
    const keyBefore = await readFile(path.join(dataDir, "secret.key"), "utf8");
    const output = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await run([])).toBe(0);
      expect(output.mock.calls.join("")).toContain("re-encrypted 2 credential(s)");
    } finally {
      output.mockRestore();
    }
    expect(await readFile(path.join(dataDir, "secret.key"), "utf8")).not.toBe(keyBefore);
    expect(await readAllCredentials()).toEqual([{ token: SECRET }, { token: "second" }]);
  });
});
