import { describe, expect, it } from "vitest";
import { migrate } from "./migrate";
import { setupTestDatabase } from "./testing";

// The migration that keys findings by (container, check) instead of a fingerprint, on a database with rows.
const MIGRATION = "20261206111800_finding_per_container_check";
const test = setupTestDatabase({ migrationsBefore: MIGRATION });

const sql = test.sql;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe(MIGRATION, () => {
  it("keeps every finding with its fix, exception and history, and one per container and check", async () => {
    await sql(
      `INSERT INTO "Target" ("id", "name", "platform", "url", "updatedAt") VALUES ($1, 'host', 'docker', 'unix:///d.sock', now())`,
      [id(1)],
    );
    await sql(`INSERT INTO "Workload" ("id", "targetId", "kind", "name") VALUES ($1, $2, 'Container', 'web')`, [
      id(2),
      id(1),
    ]);
    for (const [n, name] of [
      [3, "a"],
      [4, "b"],
    ] as const)
      await sql(
        `INSERT INTO "Container" ("id", "workloadId", "name", "image", "factsHash") VALUES ($1, $2, $3, 'app:1', 'h')`,
        [id(n), id(2), name],
      );
    await sql(`INSERT INTO "Fix" ("id", "remediation") VALUES ($1, '{"flags": ["--read-only"]}')`, [id(5)]);
    await sql(
      `INSERT INTO "Exception" ("id", "checkId", "reason", "owner", "expiresAt", "createdBy") VALUES ($1, 'run-as-non-root', 'vendor image', 'ops', now() + interval '30 days', 'admin')`,
      [id(6)],
    );
    const finding = `INSERT INTO "Finding" ("id", "fingerprint", "containerId", "checkId", "status", "severity", "message", "fieldPath", "fixId", "exceptionId", "lastSeenAt")
      VALUES ($1, $2, $3, $4, $5, 'high', $6, '', $7, $8, $9)`;
    await sql(finding, [
      id(10),
      "fp-a-ro",
      id(3),
      "read-only-root-filesystem",
      "open",
      "writable",
      id(5),
      null,
      "2026-12-01",
    ]);
    await sql(finding, [id(11), "fp-a-root", id(3), "run-as-non-root", "excepted", "root", null, id(6), "2026-12-01"]);
    // Two rows of one container and check (never written by a run): the most recently seen one stays.
    await sql(finding, [
      id(12),
      "fp-b-old",
      id(4),
      "read-only-root-filesystem",
      "resolved",
      "old",
      null,
      null,
      "2026-11-01",
    ]);
    await sql(finding, [
      id(13),
      "fp-b-new",
      id(4),
      "read-only-root-filesystem",
      "open",
      "new",
      id(5),
      null,
      "2026-12-01",
    ]);
    await sql(
      `INSERT INTO "FindingEvent" ("id", "findingId", "kind") VALUES ($1, $2, 'excepted'), ($3, $4, 'reopened')`,
      [id(20), id(11), id(21), id(13)],
    );

    expect((await migrate(test.url)).applied).toContain(MIGRATION);

    const rows = await sql<{
      id: string;
      containerId: string;
      checkId: string;
      status: string;
      message: string;
      fixId: string | null;
      exceptionId: string | null;
    }>(
      `SELECT "id", "containerId", "checkId", "status", "message", "fixId", "exceptionId" FROM "Finding" ORDER BY "id"`,
    );
    expect(rows).toEqual([
      {
        id: id(10),
        containerId: id(3),
        checkId: "read-only-root-filesystem",
        status: "open",
        message: "writable",
        fixId: id(5),
        exceptionId: null,
      },
      {
        id: id(11),
        containerId: id(3),
        checkId: "run-as-non-root",
        status: "excepted",
        message: "root",
        fixId: null,
        exceptionId: id(6),
      },
      {
        id: id(13),
        containerId: id(4),
        checkId: "read-only-root-filesystem",
        status: "open",
        message: "new",
        fixId: id(5),
        exceptionId: null,
      },
    ]);
    const events = await sql<{ findingId: string; kind: string }>(
      `SELECT "findingId", "kind" FROM "FindingEvent" ORDER BY "id"`,
    );
    expect(events).toEqual([
      { findingId: id(11), kind: "excepted" },
      { findingId: id(13), kind: "reopened" },
    ]);
    const columns = await sql(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'Finding' AND column_name = 'fingerprint'`,
    );
    expect(columns).toEqual([]);
    await expect(
      sql(
        `INSERT INTO "Finding" ("id", "containerId", "checkId", "status", "severity", "message") VALUES ($1, $2, 'run-as-non-root', 'open', 'high', 'again')`,
        [id(30), id(3)],
      ),
    ).rejects.toThrow(/Finding_containerId_checkId_key/);
  });
});
