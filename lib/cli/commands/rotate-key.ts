import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { rotateKey } from "@/lib/auth/rotate-key";

export const USAGE = `Usage: rampart rotate-key

Re-encrypts every stored credential (kubeconfigs, tokens, TLS keys) under a new key, all or nothing.
With the key file (RAMPART_DATA_DIR/secret.key) a new key is generated and replaces it.
With RAMPART_SECRET_KEY set, the new key is read from RAMPART_NEW_SECRET_KEY; afterwards, set
RAMPART_SECRET_KEY to that value. Either way, restart every running Rampart process afterwards.

Options:
  -h, --help    show this help
`;

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
  const database = await resolveDatabaseUrl();
  const db = createDb(database.url);
  try {
    const result = await rotateKey(db);
    const where = result.keyFile
      ? `the new key is in ${result.keyFile}`
      : "now set RAMPART_SECRET_KEY to RAMPART_NEW_SECRET_KEY's value";
    process.stdout.write(`rampart rotate-key: re-encrypted ${result.rotated} credential(s); ${where}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rampart rotate-key: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
    await database.embedded?.stop();
  }
}
