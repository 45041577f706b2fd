import path from "node:path";
import { parseOneFileArgument } from "@/lib/cli/one-file-argument";
import { restoreEmbedded } from "@/lib/db/backup";
import { defaultDataDir } from "@/lib/db/data-dir";

export const USAGE = `Usage: rampart restore <file>

Loads a file written by \`rampart backup\` as the embedded database under RAMPART_DATA_DIR (default ./data).
A database already there is moved aside to pglite.replaced-<time> in the same folder, never deleted.
Stop \`rampart serve\` first: the command refuses to run while another process holds the database. The next
start applies any newer migrations. Credentials open only with the key file (or RAMPART_SECRET_KEY) that was
in use when the backup was made.

Options:
  -h, --help    show this help
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOneFileArgument("restore", argv, USAGE, "restore that server with pg_restore or psql");
  if ("exit" in parsed) return parsed.exit;
  const file = parsed.file;
  const dataDir = defaultDataDir();
  try {
    const { replaced } = await restoreEmbedded(dataDir, path.resolve(file));
    const aside = replaced ? `; the database that was there is in ${replaced}` : "";
    process.stdout.write(`rampart restore: restored ${path.resolve(file)} into ${dataDir}${aside}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart restore: ${(error as Error).message}\n`);
    return 1;
  }
}
