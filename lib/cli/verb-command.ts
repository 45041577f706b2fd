import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Db } from "@/lib/db";
import { withDatabase } from "./with-database";

/** Bad input found while running a verb: the command prints its message and exits 2. */
export class InputError extends Error {}

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export type VerbValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true }>
>["values"];

interface VerbCommand<O extends ParseArgsOptionsConfig, V extends string> {
  /** As in `rampart NAME`. */
  name: string;
  usage: string;
  options: O;
  verbs: readonly V[];
  /** What is wrong with the verb's arguments, before any verb is known to be one of `verbs`. */
  usageProblem(verb: string | undefined, rest: string[], values: VerbValues<O>): string | undefined;
  run(db: Db, verb: V, rest: string[], values: VerbValues<O>): Promise<number>;
}

function sayOneOf(verbs: readonly string[]): string {
  return verbs.length < 2 ? (verbs[0] ?? "") : `${verbs.slice(0, -1).join(", ")} or ${verbs.at(-1)}`;
}

/**
 * `rampart NAME <verb> [options]` on the database: usage errors (printed with the usage) and InputError exit 2,
 * other failures 1, --help prints the usage.
 */
export async function runVerbCommand<O extends ParseArgsOptionsConfig, V extends string>(
  argv: string[],
  command: VerbCommand<O, V>,
): Promise<number> {
  const usageError = (message: string) => (
    process.stderr.write(`rampart ${command.name}: ${message}\n\n${command.usage}`),
    2
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: command.options });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const values = parsed.values as VerbValues<O>;
  if ((values as { help?: boolean }).help) {
    process.stdout.write(command.usage);
    return 0;
  }
  const [verb, ...rest] = parsed.positionals;
  const problem = command.usageProblem(verb, rest, values);
  if (problem !== undefined) return usageError(problem);
  if (!command.verbs.includes(verb as V)) return usageError(`say ${sayOneOf(command.verbs)}`);
  try {
    return await withDatabase((db) => command.run(db, verb as V, rest, values));
  } catch (error) {
    process.stderr.write(`rampart ${command.name}: ${(error as Error).message}\n`);
    return error instanceof InputError ? 2 : 1;
  }
}
