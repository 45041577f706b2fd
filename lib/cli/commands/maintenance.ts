import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { runMaintenance } from "@/lib/services/maintenance";

export const USAGE = `Usage: rampart maintenance [--rollup-days <n>] [--retention-days <n>]

Keeps storage bounded; run it once a day (cron, a Kubernetes CronJob). Safe beside running workers.
  - rollups older than --rollup-days (default 30) keep only each target's last run of the day;
  - runs older than that without rollups are deleted;
  - containers gone for longer than --retention-days (default 365) are deleted with their resolved findings.

Uses DATABASE_URL, or the embedded database under RAMPART_DATA_DIR when it is unset.
`;

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} must be a positive whole number of days, got "${text}"`);
  return value;
}

export async function run(argv: string[]): Promise<number> {
  let options: { rollupDays: number; retentionDays: number };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        "rollup-days": { type: "string" },
        "retention-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    options = {
      rollupDays: positive("--rollup-days", values["rollup-days"], 30),
      retentionDays: positive("--retention-days", values["retention-days"], 365),
    };
  } catch (error) {
    process.stderr.write(`rampart maintenance: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const database = await resolveDatabaseUrl();
  const db = createDb(database.url);
  try {
    const done = await runMaintenance(db, options);
    process.stdout.write(
      `rampart maintenance: ${done.rollupsDeleted} rollup rows compacted, ${done.runsDeleted} old runs, ` +
        `${done.containersDeleted} gone containers (${done.findingsDeleted} findings, ${done.workloadsDeleted} workloads), ` +
        `${done.fixesDeleted} unused fixes, ` +
        `${done.reportsDeleted} superseded reports deleted\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`rampart maintenance: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
    await database.embedded?.stop();
  }
}
