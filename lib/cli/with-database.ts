import { userInfo } from "node:os";
import { createDb, type Db } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { migrate } from "@/lib/db/migrate";
import type { Actor } from "@/lib/services/users";

/** Runs `work` against DATABASE_URL (or the embedded database, migrated first) and closes it after. */
export async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const database = await resolveDatabaseUrl();
  try {
    await migrate(database.url);
    const db = createDb(database.url);
    try {
      return await work(db);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await database.embedded?.stop();
  }
}

/** Who the audit log names for a command run from a shell: `cli:<login>`. */
export function cliActor(): Actor {
  let login: string;
  try {
    login = userInfo().username;
  } catch {
    login = process.env.USER ?? String(process.getuid?.() ?? "unknown");
  }
  return { email: `cli:${login}`, ip: null };
}
