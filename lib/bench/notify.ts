// Notifications benchmark: what queuing a run's messages costs after the run is stored (the work a run waits for;
// sending is the workers' job): a first poll where every failure is new, a poll with a few new, an unchanged one.
import { parseArgs } from "node:util";
import { createDb, type Db } from "@/lib/db";
import { createScratchDatabase } from "@/lib/db/scratch";
import { createChannel, createRule, enqueueRunNotifications } from "@/lib/services/notifications";
import { recordRun, startRun } from "@/lib/services/runs";
import { createTarget } from "@/lib/services/targets";
import { makeFleet } from "@/lib/services/testing/fleet";

const USAGE = `Usage: npm run bench -- notify [--containers N]

Needs DATABASE_URL (a Postgres server; a fresh database is made on it and dropped afterwards).
`;

async function timedRun(db: Db, targetId: string, containers: number, newFrom: number, at: Date) {
  const fleet = makeFleet({ containers, perNamespace: 50, statusB: (i) => (i < newFrom ? "fail" : "pass") });
  const { runId } = await startRun(db, { targetId, now: at });
  const stored = await recordRun(db, { runId, targetId, evaluations: fleet, complete: true, now: at });
  const start = performance.now();
  const queued = await enqueueRunNotifications(db, {
    runId,
    targetId,
    status: "succeeded",
    at,
    findingsOpened: stored.findingsOpened,
  });
  return { ms: performance.now() - start, opened: stored.findingsOpened, queued };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { containers: { type: "string", default: "2000" } } });
  const containers = Number(values.containers);
  const server = process.env.DATABASE_URL;
  if (!server || !Number.isInteger(containers) || containers < 20) {
    process.stderr.write(USAGE);
    return 2;
  }
  const scratch = await createScratchDatabase("rampart_notify", server);
  const db = createDb(scratch.url);
  try {
    const actor = { email: "bench" };
    const { id: targetId } = await createTarget(db, { name: "bench", platform: "kubernetes", url: "https://k.test" });
    const { id: channelId } = await createChannel(
      db,
      { name: "hook", kind: "webhook", url: "http://127.0.0.1:9/" },
      actor,
    );
    await createRule(db, { channelId, event: "new-findings", minSeverity: "low" }, actor);
    await createRule(db, { channelId, event: "new-findings", minSeverity: "high", namespace: "ns-1" }, actor);
    await createRule(db, { channelId, event: "target-failing" }, actor);
    const day = Date.now() - 3 * 3600_000;
    const first = await timedRun(db, targetId, containers, containers - 10, new Date(day));
    const few = await timedRun(db, targetId, containers, containers, new Date(day + 3600_000));
    const none = await timedRun(db, targetId, containers, containers, new Date(day + 7200_000));
    for (const [label, r] of [
      ["first poll, all new", first],
      ["10 new findings", few],
      ["unchanged poll", none],
    ] as const) {
      console.log(
        `${label.padEnd(22)} ${containers} containers: ${String(r.opened).padStart(6)} opened, ${r.queued} message(s) queued in ${r.ms.toFixed(1)} ms`,
      );
    }
    return 0;
  } finally {
    await db.$disconnect();
    await scratch.drop();
  }
}
