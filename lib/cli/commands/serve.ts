import { hostname } from "node:os";
import path from "node:path";
import { readTlsFiles } from "@/lib/collectors/docker/client";
import { getCollector } from "@/lib/collectors/registry";
import { startScheduler } from "@/lib/collectors/scheduler";
import { startNotifier } from "@/lib/notifications/notifier";
import type { TargetConnection, TargetSettings } from "@/lib/collectors/types";
import { createDb, type Db } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { defaultDataDir } from "@/lib/db/embedded";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { createSetupLink } from "@/lib/services/setup";
import { createTarget } from "@/lib/services/targets";
import { assertPortFree } from "../listener";
import { shutdownGraceSeconds } from "./worker";
import { ensureBuild, parseWebOptions, startNext, stopChild, waitForStop, webUrlOnceReady } from "./web";

const LOCAL_DOCKER = "local-docker";

// Component "": text lines read `rampart: …` as before; RAMPART_LOG_FORMAT=json makes them JSON (lib/log.ts).
const log = createLogger("");

const SERVE_HELP = `Usage: rampart serve [--port <n>] [--host <addr>]

Dashboard and collector scheduler in one process. Uses DATABASE_URL when set, else an embedded
Postgres under ./data (or RAMPART_DATA_DIR), migrated on start. Builds the app first when no build exists.
On the first start on a fresh database, adds the Docker engine at DOCKER_HOST or /var/run/docker.sock
as target local-docker when it answers.

Options:
  --port <n>     port of the dashboard (default: PORT, else 3000)
  --host <addr>  address to listen on (default: HOST, else 127.0.0.1)

Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 when a part fails, 2 on bad usage.`;

async function openDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const resolved = await resolveDatabaseUrl();
  const embedded = resolved.embedded;
  if (!embedded) return { url: resolved.url, stop: async () => undefined };
  log.info(`embedded Postgres with its data in ${defaultDataDir()}`);
  return { url: resolved.url, stop: () => embedded.stop() };
}

/** The engine a local `docker` command would use, following DOCKER_HOST and DOCKER_CERT_PATH. */
export function localDockerConnection(env: Record<string, string | undefined> = process.env): TargetConnection {
  const url = env.DOCKER_HOST || "unix:///var/run/docker.sock";
  const settings: TargetSettings = {};
  if (url.startsWith("tcp://") && env.DOCKER_CERT_PATH) {
    settings.tlsCaFile = path.join(env.DOCKER_CERT_PATH, "ca.pem");
    settings.tlsCertFile = path.join(env.DOCKER_CERT_PATH, "cert.pem");
    settings.tlsKeyFile = path.join(env.DOCKER_CERT_PATH, "key.pem");
  }
  // The operator's own environment: its files are read here, and stored as encrypted PEM (never as paths).
  return { name: LOCAL_DOCKER, platform: "docker", url, settings, credentials: {}, trustLocalFiles: true };
}

/** True when this start applied every migration: a fresh database, so the first run of Rampart on it. */
async function isFreshDatabase(applied: string[]): Promise<boolean> {
  return applied.length > 0 && applied.length === (await readMigrations()).length;
}

/**
 * First run only: on a fresh database, a local engine that answers becomes target `local-docker`. Later starts
 * leave it alone, so a user who deleted it does not get it back.
 */
export async function addLocalDockerOnFirstRun(db: Db): Promise<void> {
  if ((await db.target.count()) > 0) return;
  const connection = localDockerConnection();
  try {
    const described = await getCollector("docker").testConnection(connection, AbortSignal.timeout(5_000));
    const { ca, cert, key } = await readTlsFiles(connection);
    const tls = { ...(ca ? { tlsCa: ca } : {}), ...(cert ? { tlsCert: cert } : {}), ...(key ? { tlsKey: key } : {}) };
    await createTarget(db, {
      name: LOCAL_DOCKER,
      platform: "docker",
      url: connection.url,
      ...(Object.keys(tls).length > 0 ? { credentials: tls } : {}),
    });
    log.info(`added ${described} at ${connection.url} as target "${LOCAL_DOCKER}" (disable or delete it on /targets)`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.info(`no local Docker engine added (${reason}); add targets on /targets`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const options = parseWebOptions(argv);
  if ("help" in options) return (console.log(SERVE_HELP), 0);
  if ("error" in options) return (console.error(`rampart serve: ${options.error}`), 2);
  if (!(await ensureBuild())) return 1;

  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    await assertPortFree(options.host, options.port);
    database = await openDatabase();
  } catch (error) {
    return (console.error(`rampart serve: ${error instanceof Error ? error.message : String(error)}`), 1);
  }
  const cleanups: (() => Promise<void>)[] = [database.stop];
  const shutdown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log.error(String(error)));
  };
  try {
    const { applied } = await migrate(database.url);
    const db = createDb(database.url);
    cleanups.push(() => db.$disconnect());
    if (await isFreshDatabase(applied)) await addLocalDockerOnFirstRun(db);
    const web = startNext(options, database.url);
    cleanups.push(() => stopChild(web));
    const stopped = waitForStop(web);
    const scheduler = startScheduler({ db, workerId: `serve-${hostname()}-${process.pid}`, concurrency: 4 });
    // Runs after the web server stopped: the polls in hand finish first (worker.ts, RAMPART_SHUTDOWN_GRACE_SECONDS).
    cleanups.push(() => scheduler.drain(shutdownGraceSeconds() * 1000).then(() => undefined));
    const notifier = startNotifier({ db });
    cleanups.push(() => notifier.stop());
    const webUrl = await webUrlOnceReady(options, web);
    log.info(`dashboard ready at ${webUrl} (collector running)`);
    // First run: no default password; this link creates the first admin once (lib/services/setup).
    const setupLink = await createSetupLink(db, webUrl);
    if (setupLink) log.info(`no users yet: create the first admin at ${setupLink} (works once, within 24 hours)`);
    const reason = await stopped;
    log.info("signal" in reason ? `${reason.signal}, shutting down` : "web server exited");
    await shutdown();
    return "signal" in reason ? 0 : 1;
  } catch (error) {
    console.error(`rampart serve: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown();
    return 1;
  }
}
