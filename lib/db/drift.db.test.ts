import { cp, mkdtemp, appendFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listModelColumns, type ModelColumn } from "./data-model";
import { MIGRATIONS_DIR, migrate, readMigrations } from "./migrate";
import { setupTestDatabase } from "./testing";

const test = setupTestDatabase();

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: "YES" | "NO";
}

const PG_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  Boolean: "boolean",
  DateTime: "timestamp without time zone",
  Json: "jsonb",
  Float: "double precision",
  Decimal: "numeric",
  BigInt: "bigint",
};

function expectedType(column: ModelColumn): string {
  if (column.list) return "ARRAY";
  if (column.nativeType === "Uuid") return "uuid";
  if (column.nativeType === "SmallInt") return "smallint";
  return PG_TYPE[column.type] ?? `unmapped ${column.type}`;
}

describe("migrations against the Prisma schema", () => {
  it("create exactly the models' tables and columns, with their types and nullability", async () => {
    const dbColumns = await test.sql<DbColumn>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = dbColumns.map(
      (c) => `${c.table_name}.${c.column_name} ${c.data_type} ${c.is_nullable === "YES" ? "null" : "not null"}`,
    );
    const models = await listModelColumns(test.db);
    const expected = models.map((c) => `${c.model}.${c.name} ${expectedType(c)} ${c.nullable ? "null" : "not null"}`);
    expect(models.length).toBeGreaterThan(50);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it("records every migration in _prisma_migrations with the file's sha256", async () => {
    const files = await readMigrations();
    const rows = await test.sql<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.applied_steps_count === 1)).toBe(true);
  });

  it("applies nothing the second time, even when two runners start at once", async () => {
    const [a, b] = await Promise.all([migrate(test.url), migrate(test.url)]);
    expect([...a.applied, ...b.applied]).toEqual([]);
  });
});

describe("a migration changed after it was applied", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("makes migrate refuse, naming the migration", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rampart-migrations-"));
    dirs.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    if (!first) throw new Error("no migration folder found");
    await appendFile(path.join(dir, first.name, "migration.sql"), "\n-- edited\n");
    await expect(migrate(test.url, { dir })).rejects.toThrow(new RegExp(`${first.name}.*modified`));
  });
});
