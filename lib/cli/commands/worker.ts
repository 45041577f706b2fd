import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { startScheduler } from "@/lib/collectors/scheduler";
import { startNotifier } from "@/lib/notifications/notifier";
import { createDb } from "@/lib/db";

export const summary = "the collector scheduler alone, polling due targets from DATABASE_URL";

const USAGE = `Usage: rampart worker [--concurrency <n>] [--id <worker-id>]

Leases due targets from DATABASE_URL (any number of workers may share it) and polls them until SIGINT/SIGTERM.

Options:
  --concurrency <n>   targets polled at once (default 4)
  --id <worker-id>    lease owner name (default worker-<host>-<pid>)
`;

export async function run(argv: string[]): Promise<number> {
  let values: { concurrency?: string; id?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { concurrency: { type: "string" }, id: { type: "string" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    process.stderr.write(`rampart worker: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const concurrency = Number(values.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    process.stderr.write("rampart worker: --concurrency must be a positive integer\n");
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("rampart worker: DATABASE_URL is not set (use `rampart serve` for the embedded database)\n");
    return 2;
  }
  const db = createDb(url);
  const workerId = values.id ?? `worker-${hostname()}-${process.pid}`;
  const scheduler = startScheduler({
    db,
    workerId,
    concurrency,
    onRun: (targetId, result) => console.log(`rampart worker: target ${targetId} run ${result.runId} ${result.status}`),
  });
  const notifier = startNotifier({ db });
  console.log(`rampart worker ${workerId}: polling due targets (concurrency ${concurrency})`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  console.log("rampart worker: stopping");
  await scheduler.stop();
  await notifier.stop();
  await db.$disconnect();
  return 0;
}
