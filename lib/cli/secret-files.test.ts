import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSecretFiles } from "./secret-files";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("NAME_FILE secrets", () => {
  it("reads DATABASE_URL and RAMPART_SECRET_KEY from their files, refuses both forms and unreadable files without contents", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rampart-secret-files-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "db"), "postgresql://rampart:s3cret@db/rampart\n");
    await writeFile(path.join(dir, "key"), "a2V5");
    const env: Record<string, string | undefined> = {
      DATABASE_URL_FILE: path.join(dir, "db"),
      RAMPART_SECRET_KEY_FILE: path.join(dir, "key"),
    };
    expect(loadSecretFiles(env)).toBeNull();
    expect(env.DATABASE_URL).toBe("postgresql://rampart:s3cret@db/rampart");
    expect(env.RAMPART_SECRET_KEY).toBe("a2V5");

    const both = { DATABASE_URL: "x", DATABASE_URL_FILE: path.join(dir, "db") };
    expect(loadSecretFiles(both)).toBe("set DATABASE_URL or DATABASE_URL_FILE, not both");
    const missing = { RAMPART_SECRET_KEY_FILE: path.join(dir, "nope") };
    expect(loadSecretFiles(missing)).toBe(`cannot read RAMPART_SECRET_KEY_FILE ${path.join(dir, "nope")}: ENOENT`);
  });
});
