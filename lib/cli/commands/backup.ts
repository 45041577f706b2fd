import path from "node:path";
import { parseArgs } from "node:util";
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
  let parsed: { values: { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`rampart backup: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) return (process.stdout.write(USAGE), 0);
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) return (process.stderr.write(`rampart backup: name one file\n\n${USAGE}`), 2);
  if (process.env.DATABASE_URL) {
    process.stderr.write("rampart backup: DATABASE_URL is set: back up that server with pg_dump\n");
    return 2;
  }
  try {
    const result = await backupEmbedded(defaultDataDir(), path.resolve(file));
    process.stdout.write(`rampart backup: wrote ${result.bytes} bytes to ${result.file}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart backup: ${(error as Error).message}\n`);
    return 1;
  }
}
