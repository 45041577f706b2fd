import { loadSecretFiles } from "./secret-files";

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

// One line per command: static imports let the compiled CLI bundle each command apart, and help text loads
// none of them (serve pulls in Next and Prisma). main.test.ts checks this against lib/cli/commands.
export const COMMANDS: Record<string, CommandEntry> = {
  backup: {
    summary: "copy the embedded database to a file (server stopped)",
    load: () => import("./commands/backup"),
  },
  collect: { summary: "poll one target once and print its results", load: () => import("./commands/collect") },
  demo: { summary: "populate a simulated fleet with history", load: () => import("./commands/demo") },
  exceptions: {
    summary: "list, apply (from a YAML file) or export exceptions",
    load: () => import("./commands/exceptions"),
  },
  fix: {
    summary: "apply the fixes of failing checks to Kubernetes manifests and Dockerfiles",
    load: () => import("./commands/fix"),
  },
  ingest: {
    summary: "store Trivy, Grype, CycloneDX, trivy-operator and VEX reports (locally or to a server)",
    load: () => import("./commands/ingest"),
  },
  maintenance: {
    summary: "compact old rollups and prune what the retention allows (daily)",
    load: () => import("./commands/maintenance"),
  },
  migrate: { summary: "apply database migrations", load: () => import("./commands/migrate") },
  restore: {
    summary: "load a backup as the embedded database (server stopped)",
    load: () => import("./commands/restore"),
  },
  "rotate-key": {
    summary: "re-encrypt every stored credential under a new key",
    load: () => import("./commands/rotate-key"),
  },
  scan: {
    summary: "evaluate Kubernetes manifests and docker inspect JSON files offline",
    load: () => import("./commands/scan"),
  },
  serve: { summary: "dashboard and collector scheduler in one process", load: () => import("./commands/serve") },
  simulator: {
    summary: "serve a simulated Kubernetes API and Docker Engine",
    load: () => import("./commands/simulator"),
  },
  targets: { summary: "list, add or remove targets", load: () => import("./commands/targets") },
  users: { summary: "list users, or set what a user may see", load: () => import("./commands/users") },
  web: { summary: "the dashboard alone", load: () => import("./commands/web") },
  worker: { summary: "the collector scheduler alone", load: () => import("./commands/worker") },
};

export function listCommands(): string[] {
  return Object.keys(COMMANDS).sort();
}

function usage(): string {
  const lines = ["Usage: rampart <command> [options]", "", "Commands:"];
  for (const name of listCommands()) {
    lines.push(`  ${name.padEnd(12)} ${COMMANDS[name]?.summary ?? ""}`.trimEnd());
  }
  lines.push("", "Run `rampart <command> --help` for the options of a command.");
  return lines.join("\n");
}

/** Dispatches `rampart <command> …`; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const text = usage();
    if (name === undefined) {
      process.stderr.write(text + "\n");
      return 2;
    }
    process.stdout.write(text + "\n");
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`rampart: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const problem = loadSecretFiles();
  if (problem) {
    process.stderr.write(`rampart: ${problem}\n`);
    return 2;
  }
  return (await entry.load()).run(rest);
}
