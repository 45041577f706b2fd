import { parseArgs } from "node:util";
import { createDb, type Db } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { rotateKey } from "@/lib/auth/rotate-key";

export const USAGE = `Usage: rampart rotate-key

Re-encrypts every stored credential (kubeconfigs, tokens, TLS keys) under a new key, all or nothing.
With the key file (RAMPART_DATA_DIR/secret.key) a new key is generated and replaces it.
With RAMPART_SECRET_KEY set, the new key is read from RAMPART_NEW_SECRET_KEY; afterwards, set
RAMPART_SECRET_KEY to that value. The new key replaces the old one only after every credential was read
back through a new connection (the embedded database closed and opened again) and opens with it.

On the embedded database, stop \`rampart serve\` first: the command refuses to run while another process holds
it. With DATABASE_URL, stop every web and worker process first and start them afterwards.

Options:
  -h, --help    show this help
`;

interface Opened {
  db: Db;
  close(): Promise<void>;
}

async function openDatabase(): Promise<Opened> {
  const database = await resolveDatabaseUrl();
  const db = createDb(database.url);
  return {
    db,
    async close() {
      await db.$disconnect();
      await database.embedded?.stop();
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  let help = false;
  try {
    help = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } }).values.help ?? false;
  } catch (error) {
    process.stderr.write(`rampart rotate-key: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let opened: Opened | undefined;
  try {
    opened = await openDatabase();
    const reopen = async () => {
      await opened?.close();
      opened = undefined;
      opened = await openDatabase();
      return opened.db;
    };
    const result = await rotateKey({ db: opened.db, reopen });
    const where = result.keyFile
      ? `the new key is in ${result.keyFile}`
      : "now set RAMPART_SECRET_KEY to RAMPART_NEW_SECRET_KEY's value";
    process.stdout.write(`rampart rotate-key: re-encrypted ${result.rotated} credential(s); ${where}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart rotate-key: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}
