import type { Db, Prisma } from "@/lib/db";

export type DbClient = Db | Prisma.TransactionClient;

/** Counts SQL statements and rows written, so callers (the benchmark) can report them. */
export class StatementCounter {
  statements = 0;
  rowsWritten = 0;

  constructor(readonly db: DbClient) {}

  async query<T>(sql: Prisma.Sql): Promise<T[]> {
    this.statements += 1;
    return this.db.$queryRaw<T[]>(sql);
  }

  /** A write returning rows: every returned row counts as written. */
  async writeReturning<T>(sql: Prisma.Sql): Promise<T[]> {
    const rows = await this.query<T>(sql);
    this.rowsWritten += rows.length;
    return rows;
  }

  async execute(sql: Prisma.Sql): Promise<number> {
    this.statements += 1;
    const count = await this.db.$executeRaw(sql);
    this.rowsWritten += count;
    return count;
  }

  /** A Prisma call that is one statement and returns `{ count }` (createMany, updateMany). */
  async counted(call: Promise<{ count: number }>): Promise<number> {
    this.statements += 1;
    const { count } = await call;
    this.rowsWritten += count;
    return count;
  }
}

/** Splits rows so one statement's JSON parameter stays a few megabytes. */
export function chunk<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
