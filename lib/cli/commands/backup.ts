import path from "node:path";
import { parseOneFileArgument } from "@/lib/cli/one-file-argument";
import { backupEmbedded } from "@/lib/db/backup";
import { defaultDataDir } from "@/lib/db/data-dir";

export const USAGE = `Usage: rampart backup <file>

Writes a copy of the embedded database under RAMPART_DATA_DIR (default ./data) to <file>: PGlite's own
gzipped tarball of its data folder, mode 0600, never over an existing file. Stop \`rampart serve\` first:
the command refuses to run while another process holds the database. Restore it with \`rampart restore\`.

The key file is not in the backup: stored credentials open only with RAMPART_DATA_DIR/secret.key (or
RAMPART_SECRET_KEY), so keep that key safe, apart from the backup. With DATABASE_URL, use pg_dump instead.

Options:
  -h, --help    show this help
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOneFileArgument("backup", argv, USAGE, "back up that server with pg_dump");
  if ("exit" in parsed) return parsed.exit;
  const file = parsed.file;
  try {
    const result = await backupEmbedded(defaultDataDir(), path.resolve(file));
    process.stdout.write(`rampart backup: wrote ${result.bytes} bytes to ${result.file}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart backup: ${(error as Error).message}\n`);
    return 1;
  }
}
