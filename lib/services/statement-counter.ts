import type pg from "pg";
import { poolOf, type Db, type Prisma } from "@/lib/db";
import { forgetStatementLogs } from "@/lib/db/statement-logs";

export type DbClient = Db | Prisma.TransactionClient;

/** A pg pool or one of its connections (inside a transaction): what poolOf gives and pool.connect() lends. */
export type PgQueryable = pg.Pool | pg.PoolClient;

/** Parameters (characters of text) past which a statement's are dropped from Prisma's debug histories after it ran. */
const LARGE_PARAMETERS = 64 * 1024;

function afterPrismaStatement(sql: Prisma.Sql): void {
  let chars = 0;
  for (const value of sql.values) if (typeof value === "string") chars += value.length;
  if (chars > LARGE_PARAMETERS) forgetStatementLogs();
}

/**
 * Counts SQL statements and rows written, so callers (the benchmark) can report them. Runs its statements through
 * Prisma, or straight through pg when given a pool or a connection (the same Prisma.sql text and values).
 */
export class StatementCounter {
  statements = 0;
  rowsWritten = 0;

  constructor(readonly db: DbClient | PgQueryable) {}

  /** Through pg when `db` was made by createDb and is open, else through Prisma. */
  static for(db: Db): StatementCounter {
    return new StatementCounter(poolOf(db) ?? db);
  }

  private get pg(): PgQueryable | undefined {
    return "$queryRaw" in this.db ? undefined : this.db;
  }

  async query<T>(sql: Prisma.Sql): Promise<T[]> {
    this.statements += 1;
    const pgClient = this.pg;
    if (pgClient) return (await pgQuery(pgClient, sql.text, sql.values)).rows as T[];
    try {
      return await (this.db as DbClient).$queryRaw<T[]>(sql);
    } finally {
      afterPrismaStatement(sql);
    }
  }

  /** A write returning rows: every returned row counts as written. */
  async writeReturning<T>(sql: Prisma.Sql): Promise<T[]> {
    const rows = await this.query<T>(sql);
    this.rowsWritten += rows.length;
    return rows;
  }

  async execute(sql: Prisma.Sql): Promise<number> {
    this.statements += 1;
    const pgClient = this.pg;
    if (pgClient) {
      const count = (await pgQuery(pgClient, sql.text, sql.values)).rowCount ?? 0;
      this.rowsWritten += count;
      return count;
    }
    try {
      const count = await (this.db as DbClient).$executeRaw(sql);
      this.rowsWritten += count;
      return count;
    } finally {
      afterPrismaStatement(sql);
    }
  }

  /** A Prisma call that is one statement and returns `{ count }` (createMany, updateMany). */
  async counted(call: Promise<{ count: number }>): Promise<number> {
    this.statements += 1;
    const { count } = await call;
    this.rowsWritten += count;
    return count;
  }
}

/**
 * Runs `work` in one transaction: on a pg connection of the client's pool when it has one (BEGIN … COMMIT, rolled
 * back on any error), else as a Prisma interactive transaction with `options`. On pg, `options.timeout` bounds each
 * statement and each wait between them, as Prisma's bounds the transaction: a lock never waited on forever.
 */
export async function inTransaction<T>(
  db: Db,
  options: { maxWait: number; timeout: number },
  work: (q: StatementCounter) => Promise<T>,
): Promise<T> {
  const pool = poolOf(db);
  if (!pool) return db.$transaction((tx) => work(new StatementCounter(tx)), options);
  const client = await pool.connect().catch((error: unknown) => {
    throw asDatabaseError(error);
  });
  let broken: Error | undefined;
  try {
    const timeout = Math.floor(options.timeout);
    await pgQuery(
      client,
      `BEGIN; SET LOCAL statement_timeout = ${timeout}; SET LOCAL idle_in_transaction_session_timeout = ${timeout}`,
    );
    const result = await work(new StatementCounter(client));
    await pgQuery(client, "COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollback: unknown) => {
      broken = asDatabaseError(rollback);
    });
    throw error;
  } finally {
    // A connection that could not roll back is dropped, not lent again.
    client.release(broken);
  }
}

async function pgQuery(client: PgQueryable, text: string, values?: unknown[]): Promise<pg.QueryResult> {
  try {
    return await client.query(text, values);
  } catch (error) {
    throw asDatabaseError(error);
  }
}

/**
 * pg's errors (the server's, and a lost connection's) named as run-error.ts knows database errors, as Prisma's are:
 * a failed store is reported as one worded sentence, its details logged.
 */
function asDatabaseError(error: unknown): Error {
  const wrapped = new Error(error instanceof Error ? error.message : String(error), { cause: error });
  wrapped.name = "DatabaseError";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") Object.assign(wrapped, { code });
  return wrapped;
}

/** Splits rows so one statement's JSON parameter stays a few megabytes. */
export function chunk<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
