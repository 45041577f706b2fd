import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

// Help text must not import every command (serve pulls in Next and Prisma), so known ones are described here.
const SUMMARIES: Record<string, string> = {
  scan: "evaluate Kubernetes manifests and docker inspect JSON files offline",
  collect: "poll one target once and print its results",
  serve: "dashboard and collector scheduler in one process",
  web: "the dashboard alone",
  worker: "the collector scheduler alone",
  migrate: "apply database migrations",
  demo: "populate a simulated fleet with history",
  simulator: "serve a simulated Kubernetes API and Docker Engine",
  maintenance: "compact old rollups and prune what the retention allows (daily)",
  "rotate-key": "re-encrypt every stored credential under a new key",
};

const COMMANDS_DIR = fileURLToPath(new URL("./commands/", import.meta.url));
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

/** Commands are the files of lib/cli/commands, so a new command needs no change here. */
export async function listCommands(): Promise<string[]> {
  const files = await readdir(COMMANDS_DIR);
  return files
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => file.slice(0, -".ts".length))
    .filter((name) => COMMAND_NAME.test(name))
    .sort();
}

async function loadCommand(name: string): Promise<CommandModule> {
  return (await import(`./commands/${name}.ts`)) as CommandModule;
}

async function usage(): Promise<string> {
  const lines = ["Usage: rampart <command> [options]", "", "Commands:"];
  for (const name of await listCommands()) {
    lines.push(`  ${name.padEnd(12)} ${SUMMARIES[name] ?? ""}`.trimEnd());
  }
  lines.push("", "Run `rampart <command> --help` for the options of a command.");
  return lines.join("\n");
}

/** Dispatches `rampart <command> …`; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const text = await usage();
    if (name === undefined) {
      process.stderr.write(text + "\n");
      return 2;
    }
    process.stdout.write(text + "\n");
    return 0;
  }
  if (!COMMAND_NAME.test(name) || !(await listCommands()).includes(name)) {
    process.stderr.write(`rampart: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  const command = await loadCommand(name);
  return command.run(rest);
}
