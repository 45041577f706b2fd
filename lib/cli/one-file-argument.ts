import { parseArgs } from "node:util";

/**
 * Parses `rampart <command> <file>` for the embedded-database commands: the file, or the exit code after the help
 * or a usage error has been printed. They refuse DATABASE_URL, whose server has its own tools (`serverTools`).
 */
export function parseOneFileArgument(
  command: string,
  argv: string[],
  usage: string,
  serverTools: string,
): { file: string } | { exit: number } {
  let parsed: { values: { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`rampart ${command}: ${(error as Error).message}\n\n${usage}`);
    return { exit: 2 };
  }
  if (parsed.values.help) return (process.stdout.write(usage), { exit: 0 });
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0)
    return (process.stderr.write(`rampart ${command}: name one file\n\n${usage}`), { exit: 2 });
  if (process.env.DATABASE_URL) {
    process.stderr.write(`rampart ${command}: DATABASE_URL is set: ${serverTools}\n`);
    return { exit: 2 };
  }
  return { file };
}
