import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createTarget } from "@/lib/services/targets";

const BIN = fileURLToPath(new URL("../bin.mjs", import.meta.url));
const run = promisify(execFile);
const test = setupTestDatabase();

describe("rampart maintenance", () => {
  it("prunes a container gone past the retention and says what it deleted", async () => {
    const { id: targetId } = await createTarget(test.db, { name: "cli", platform: "docker", url: "unix:///x.sock" });
    const longAgo = new Date(Date.now() - 400 * 86_400_000);
    await test.db.workload.create({
      data: {
        targetId,
        kind: "Container",
        name: "old",
        goneAt: longAgo,
        containers: { create: { name: "old", image: "busybox", factsHash: "h", goneAt: longAgo } },
      },
    });
    const { stdout } = await run(process.execPath, [BIN, "maintenance"], {
      env: { ...process.env, DATABASE_URL: test.url },
    });
    expect(stdout).toMatch(
      /1 gone containers \(0 findings, 1 workloads\), \d+ unused fixes, 0 superseded reports deleted/,
    );
    expect(await test.db.container.count()).toBe(0);
  });

  it("refuses a retention of zero days", async () => {
    await expect(
      run(process.execPath, [BIN, "maintenance", "--retention-days", "0"], {
        env: { ...process.env, DATABASE_URL: test.url },
      }),
    ).rejects.toMatchObject({
      code: 2,
    });
  });
});
