import { parseArgs } from "node:util";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { defaultDataDir } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export const USAGE = `Usage: rampart migrate

Applies pending migrations of prisma/migrations to DATABASE_URL, or, when it is unset, to the embedded
database under RAMPART_DATA_DIR (default ./data). Refuses to run when an applied migration was edited.

Options:
  -h, --help    show this help
`;

export async function run(argv: string[]): Promise<number> {
  let help = false;
  try {
    help = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } }).values.help ?? false;
  } catch (error) {
    process.stderr.write(`rampart migrate: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let database: Awaited<ReturnType<typeof resolveDatabaseUrl>>;
  try {
    database = await resolveDatabaseUrl();
  } catch (error) {
    process.stderr.write(`rampart migrate: ${(error as Error).message}\n`);
    return 1;
  }
  const where = database.embedded ? `the embedded database in ${defaultDataDir()}` : "DATABASE_URL";
  try {
    const { applied } = await migrate(database.url);
    const list = applied.length ? applied.join(", ") : "none pending";
    process.stdout.write(`rampart migrate: ${where}: applied ${applied.length} migration(s): ${list}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart migrate: ${where}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await database.embedded?.stop();
  }
}
