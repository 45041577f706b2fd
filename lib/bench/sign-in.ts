// Sign-in benchmark: how long each kind of failed answer takes (unknown email, wrong password, throttled source
// for the email, single-sign-on account) against a real Postgres, so a timing difference would show. Past 10
// failures an email's attempts are also delayed (by email, existing or not), so keep --attempts at 5 or fewer.
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { createScratchDatabase } from "@/lib/db/scratch";
import { MAX_PAIR_FAILURES, signInWithPassword } from "@/lib/services/sign-in";
import { createUser } from "@/lib/services/users";

const USAGE = `Usage: npm run bench -- sign-in [--attempts N]

Needs DATABASE_URL (a Postgres server; a fresh database is made on it and dropped afterwards).
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { attempts: { type: "string", default: "5" } } });
  const attempts = Number(values.attempts);
  const server = process.env.DATABASE_URL;
  if (!server || !Number.isInteger(attempts) || attempts < 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const scratch = await createScratchDatabase("rampart_sign_in", server);
  const db = createDb(scratch.url);
  try {
    const password = "the right long password";
    await createUser(db, { email: "user@bench.test", role: "viewer", password }, { email: "bench" });
    await createUser(db, { email: "target@bench.test", role: "viewer", password }, { email: "bench" });
    await db.user.create({ data: { email: "sso@bench.test", role: "viewer", oidcSubject: "idp|sso" } });
    const throttled = { ip: "192.0.2.250" };
    for (let i = 0; i < MAX_PAIR_FAILURES; i++) {
      await signInWithPassword(db, { email: "target@bench.test", password: `wrong ${i}`, meta: throttled });
    }
    const paths: Record<string, (i: number) => Parameters<typeof signInWithPassword>[1]> = {
      "unknown email": (i) => ({ email: `nobody-${i}@bench.test`, password, meta: { ip: `192.0.2.${i + 1}` } }),
      "wrong password": (i) => ({ email: "user@bench.test", password: "wrong", meta: { ip: `192.0.2.${i + 60}` } }),
      "throttled source, right password": () => ({ email: "target@bench.test", password, meta: throttled }),
      "single sign-on account": (i) => ({ email: "sso@bench.test", password, meta: { ip: `192.0.2.${i + 120}` } }),
    };
    for (const [label, input] of Object.entries(paths)) {
      const times: number[] = [];
      for (let i = 0; i < attempts; i++) {
        const start = performance.now();
        const result = await signInWithPassword(db, input(i));
        times.push(performance.now() - start);
        if (result.ok) throw new Error(`${label}: signed in`);
      }
      const line = `median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}`;
      process.stdout.write(`bench sign-in: ${label.padEnd(34)} ${line}\n`);
    }
  } finally {
    await db.$disconnect();
    await scratch.drop();
  }
  return 0;
}
