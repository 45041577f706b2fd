import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { startScheduler } from "@/lib/collectors/scheduler";
import { startNotifier } from "@/lib/notifications/notifier";
import { createDb } from "@/lib/db";
import { createLogger } from "@/lib/log";

export const summary = "the collector scheduler alone, polling due targets from DATABASE_URL";

const USAGE = `Usage: rampart worker [--concurrency <n>] [--id <worker-id>]

Leases due targets from DATABASE_URL (any number of workers may share it) and polls them until SIGINT/SIGTERM.
On the first signal it leases nothing more and lets the polls in hand finish (up to
RAMPART_SHUTDOWN_GRACE_SECONDS, default 90, then they are cancelled and recorded as failed); a second
signal cancels them at once. RAMPART_LOG_FORMAT=json writes JSON log lines.

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
  keepWasmBaseline();
  const log = createLogger("worker");
  const db = createDb(url);
  const workerId = values.id ?? `worker-${hostname()}-${process.pid}`;
  const scheduler = startScheduler({
    db,
    workerId,
    concurrency,
    onRun: (targetId, result) =>
      (result.status === "failed" ? log.warn : log.info)(`target ${targetId} run ${result.runId} ${result.status}`, {
        targetId,
        runId: result.runId,
        status: result.status,
        containers: result.containers,
      }),
  });
  const notifier = startNotifier({ db });
  log.info(`${workerId}: polling due targets (concurrency ${concurrency})`, { workerId, concurrency });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const graceSeconds = shutdownGraceSeconds();
  log.info(`${signal}: stopping, finishing ${scheduler.running()} poll(s) in hand (up to ${graceSeconds} s)`, {
    signal,
    running: scheduler.running(),
    graceSeconds,
  });
  const again = () => {
    log.warn("second signal: cancelling the polls in hand");
    void scheduler.stop();
  };
  process.once("SIGINT", again);
  process.once("SIGTERM", again);
  const cancelled = await scheduler.drain(graceSeconds * 1000);
  await notifier.stop();
  await db.$disconnect();
  log.info(cancelled > 0 ? `stopped, ${cancelled} poll(s) cancelled` : "stopped", { cancelled });
  return 0;
}

/**
 * Prisma's query compiler is WebAssembly; V8 tiers its hot functions up to TurboFan in the background, which cost an
 * idle worker about 45 MiB of RSS and more CPU than it saved (2,000 statements: 2.4 → 2.15 CPU s). Set before
 * Prisma compiles the module; a worker runs no other WebAssembly (PGlite's serve/web processes keep the default).
 */
function keepWasmBaseline(): void {
  setFlagsFromString("--liftoff-only");
}

/** `RAMPART_SHUTDOWN_GRACE_SECONDS`, default 90: below the lease and the Kubernetes manifests' termination grace. */
export function shutdownGraceSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = env.RAMPART_SHUTDOWN_GRACE_SECONDS ? Number(env.RAMPART_SHUTDOWN_GRACE_SECONDS) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 90;
}
