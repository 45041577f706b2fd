import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { migrate } from "@/lib/db/migrate";
import { DEFAULT_DEMO, loadDemoFleet, removeDemoData } from "@/lib/demo";

export const USAGE = `Usage: rampart demo [--days N] [--pods N,N,…] [--docker-hosts N] [--containers-per-host N] [--remove]

Fills the database (DATABASE_URL, else the embedded one, also while \`rampart serve\` runs on it) with simulated Kubernetes clusters and Docker hosts and N days of history made by the real
collectors, evaluation and storage. Demo targets are named demo-… and marked settings.demo; running it again
replaces them.

Options:
      --days N                  days of history (default ${DEFAULT_DEMO.days})
      --pods N,N,…              pods of each simulated cluster (default ${DEFAULT_DEMO.clusters.join(",")})
      --docker-hosts N          simulated Docker hosts (default ${DEFAULT_DEMO.dockerHosts})
      --containers-per-host N   containers per Docker host (default ${DEFAULT_DEMO.containersPerHost})
      --remove                  only remove the demo targets and everything they hold
  -h, --help                    show this help
`;

const OPTIONS = {
  days: { type: "string" },
  pods: { type: "string" },
  "docker-hosts": { type: "string" },
  "containers-per-host": { type: "string" },
  remove: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function count(value: string | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  let options;
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
    options = {
      days: count(values.days, DEFAULT_DEMO.days, "days", 1),
      clusters: values.pods ? values.pods.split(",").map((p) => count(p.trim(), 0, "pods", 1)) : DEFAULT_DEMO.clusters,
      dockerHosts: count(values["docker-hosts"], DEFAULT_DEMO.dockerHosts, "docker-hosts"),
      containersPerHost: count(values["containers-per-host"], DEFAULT_DEMO.containersPerHost, "containers-per-host", 1),
      log: (line: string) => process.stdout.write(`rampart demo: ${line}\n`),
    };
  } catch (error) {
    process.stderr.write(`rampart demo: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Beside a running `rampart serve`, through its socket: the demo fleet appears in the open dashboard.
  const database = await resolveDatabaseUrl({ joinRunning: true });
  const db = createDb(database.url);
  try {
    await migrate(database.url);
    if (values.remove) {
      process.stdout.write(`rampart demo: removed ${await removeDemoData(db)} demo target(s)\n`);
      return 0;
    }
    const started = Date.now();
    const result = await loadDemoFleet(db, options);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `rampart demo: ${result.targets} targets, ${result.containers} containers, ${result.runs} runs in ${seconds} s\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`rampart demo: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
    await database.embedded?.stop();
  }
}
