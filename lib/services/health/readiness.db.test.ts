import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb, setProcessDb } from "@/lib/db";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";
import { setupTestDatabase } from "@/lib/db/testing";
import { GET as healthz } from "@/app/healthz/route";
import { GET as readyz } from "@/app/readyz/route";
import { checkReadiness } from "./readiness";

const test = setupTestDatabase({ processDb: true });
const dirs: string[] = [];
const unreachable = createDb("postgresql://rampart:hunter2-secret@127.0.0.1:1/rampart");
afterAll(async () => {
  await unreachable.$disconnect();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("readiness", () => {
  it("is ready on a migrated database, and lists a migration the database lacks", async () => {
    expect(await checkReadiness(test.db, 2_000, MIGRATIONS_DIR)).toEqual({
      ready: true,
      checks: { database: "ok", migrations: "ok" },
      pending: [],
    });
    const dir = await mkdtemp(path.join(tmpdir(), "rampart-readyz-"));
    dirs.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_from_a_newer_image"));
    await writeFile(path.join(dir, "29991231000000_from_a_newer_image", "migration.sql"), "SELECT 1;");
    expect(await checkReadiness(test.db, 2_000, dir)).toEqual({
      ready: false,
      checks: { database: "ok", migrations: "pending" },
      pending: ["29991231000000_from_a_newer_image"],
    });
  });

  it("answers /readyz 200 when ready and 503 in fixed words when the database is down, /healthz 200 either way", async () => {
    const ok = await readyz(new Request("http://127.0.0.1/readyz"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ready: true });

    setProcessDb(unreachable);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const down = await readyz(
        new Request("http://127.0.0.1/readyz", { headers: { "x-request-id": "req-12345678" } }),
      );
      expect(down.status).toBe(503);
      const body = await down.text();
      expect(JSON.parse(body)).toEqual({
        ready: false,
        checks: { database: "unreachable", migrations: "unknown" },
        pending: [],
      });
      // The cause goes to the log, with the request id, and never the password of the URL.
      const logged = stderr.mock.calls.map(([chunk]) => String(chunk)).join("");
      expect(logged).toContain("readyz: database unreachable");
      expect(`${body}${logged}`).not.toContain("hunter2");
      expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      stderr.mockRestore();
    }
    expect((await healthz()).status).toBe(200);
  });
});
