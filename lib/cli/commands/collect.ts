import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { collectTarget } from "@/lib/collectors/collect-target";
import type { TargetConnection } from "@/lib/collectors/types";
import type { WorkloadEvaluation } from "@/lib/domain/result";
import { isSeverityAtLeast, SEVERITIES, type Severity } from "@/lib/domain/severity";
import { buildScanOutput, isOpenFailure } from "../output/json";
import { renderTable } from "../output/table";

export const summary = "poll one Docker engine, Kubernetes cluster or stored target once and print the results";

export const USAGE = `Usage: rampart collect (--docker <url> | --kubeconfig <file> | --in-cluster | --target <name>) --once [options]

Polls one target once and prints the same document as \`rampart scan\` (source = the target URL).

  --docker <url>                     unix:///var/run/docker.sock or tcp://host:2376 (no database needed)
    --tls-ca F --tls-cert F --tls-key F   your own TLS files for tcp:// (verified by default;
                                     default: ca.pem, cert.pem, key.pem in DOCKER_CERT_PATH)
    --insecure                       allow tcp:// without TLS (a warning is printed)
    --include-stopped                also judge stopped containers
  --kubeconfig <file>                a Kubernetes cluster (no database needed); TLS verified unless the
                                     kubeconfig says insecure-skip-tls-verify. The file is yours, so it is
                                     read as kubectl reads it: exec and auth-provider credential plugins run
                                     (as you, with your environment) and file paths in it are read. Kubeconfigs
                                     uploaded to the dashboard or stored in targets are never treated so: they
                                     must hold inline data (see README, Kubernetes targets)
    --context <name>                 kubeconfig context (default: its current-context)
    --namespaces a,b                 only these namespaces (for namespaced access)
  --in-cluster                       the cluster this pod runs in: KUBERNETES_SERVICE_HOST/PORT, and token and
                                     ca.crt from /var/run/secrets/kubernetes.io/serviceaccount (or
                                     RAMPART_SERVICEACCOUNT_DIR); --namespaces applies
  --target <name>                    a stored target: the run is stored too (needs DATABASE_URL)
  --once                             one poll (\`rampart worker\` polls continuously)
  --format table|json                output format (default table)
  --fail-on critical|high|medium|low exit 1 when a check of this severity or above fails (default low)

Exit codes: 0 nothing failed at or above --fail-on, 1 failures, 2 usage error or the target could not be polled.
`;

export interface CollectOptions {
  /** A target given on the command line (--docker or --kubeconfig), polled without a database. */
  connection?: TargetConnection;
  target?: string;
  format: "table" | "json";
  failOn: Severity;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined, flag: string): T | undefined {
  if (value === undefined) return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`${flag} must be one of ${values.join(", ")} (got "${value}")`);
}

/** Parses collect's argv; throws with a message for people on bad usage, returns null for --help. */
export function parseCollectArgs(argv: string[]): CollectOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      docker: { type: "string" },
      target: { type: "string" },
      kubeconfig: { type: "string" },
      "in-cluster": { type: "boolean" },
      context: { type: "string" },
      namespaces: { type: "string" },
      "tls-ca": { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      insecure: { type: "boolean" },
      "include-stopped": { type: "boolean" },
      once: { type: "boolean" },
      format: { type: "string" },
      "fail-on": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  const given = [values.docker, values.kubeconfig, values.target, values["in-cluster"] || undefined].filter(
    (v) => v !== undefined,
  );
  if (given.length !== 1)
    throw new Error("give exactly one of --docker <url>, --kubeconfig <file>, --in-cluster or --target <name>");
  const options: CollectOptions = {
    format: oneOf(["table", "json"] as const, values.format, "--format") ?? "table",
    failOn: oneOf(SEVERITIES, values["fail-on"], "--fail-on") ?? "low",
  };
  if (values.target !== undefined) options.target = values.target;
  if (values.docker !== undefined) {
    const settings: TargetConnection["settings"] = {};
    const certPath = values.docker.startsWith("tcp://") ? process.env.DOCKER_CERT_PATH : undefined;
    const fromCertPath = (file: string) => (certPath ? path.join(certPath, file) : undefined);
    const ca = values["tls-ca"] ?? fromCertPath("ca.pem");
    const cert = values["tls-cert"] ?? fromCertPath("cert.pem");
    const key = values["tls-key"] ?? fromCertPath("key.pem");
    if (ca) settings.tlsCaFile = ca;
    if (cert) settings.tlsCertFile = cert;
    if (key) settings.tlsKeyFile = key;
    if (values.insecure) settings.insecure = true;
    if (values["include-stopped"]) settings.includeStopped = true;
    options.connection = {
      name: values.docker,
      platform: "docker",
      url: values.docker,
      settings,
      credentials: {},
      trustLocalFiles: true,
    };
  }
  if (values.kubeconfig !== undefined) options.connection = kubeconfigConnection(values.kubeconfig, values);
  if (values["in-cluster"]) {
    const namespaces = values.namespaces
      ?.split(",")
      .map((ns) => ns.trim())
      .filter(Boolean);
    options.connection = {
      name: "in-cluster",
      platform: "kubernetes",
      url: "in-cluster",
      settings: { inCluster: true, ...(namespaces ? { namespaces } : {}) },
      credentials: {},
    };
  }
  return options;
}

function kubeconfigConnection(file: string, values: { context?: string; namespaces?: string }): TargetConnection {
  let kubeconfig: string;
  try {
    kubeconfig = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
  const settings: TargetConnection["settings"] = {};
  if (values.context) settings.context = values.context;
  if (values.namespaces)
    settings.namespaces = values.namespaces
      .split(",")
      .map((ns) => ns.trim())
      .filter(Boolean);
  // The invoking user's own file: plugins and paths in it are honoured, as kubectl would.
  return {
    name: file,
    platform: "kubernetes",
    url: file,
    settings,
    credentials: { kubeconfig },
    trustLocalFiles: true,
  };
}

interface Polled {
  evaluations: WorkloadEvaluation[];
  warnings: string[];
}

async function pollStoredTarget(name: string): Promise<Polled> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("--target needs DATABASE_URL (use --docker <url> to poll without a database)");
  // Loaded on use, as is the Kubernetes client below: a --docker poll needs neither, and loading them was most
  // of a one-off run's time.
  const [{ createDb }, { runCollection }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/collectors/run-collection"),
  ]);
  const db = createDb(url);
  try {
    const target = await db.target.findUnique({ where: { name }, select: { id: true } });
    if (!target) throw new Error(`no target named "${name}"`);
    const result = await runCollection({ db, targetId: target.id, keepEvaluations: true });
    if (result.error !== undefined) throw new Error(result.error);
    return { evaluations: result.evaluations, warnings: result.warnings };
  } finally {
    await db.$disconnect();
  }
}

async function poll(options: CollectOptions): Promise<Polled> {
  if (options.target !== undefined) return pollStoredTarget(options.target);
  const connection = await withClusterUrl(options.connection!);
  const { evaluations, report } = await collectTarget(connection);
  return { evaluations, warnings: report.warnings };
}

/** A kubeconfig target's source is its API server URL, as for any live poll. */
async function withClusterUrl(connection: TargetConnection): Promise<TargetConnection> {
  if (connection.platform !== "kubernetes") return connection;
  const { loadKubeConfig } = await import("@/lib/collectors/kubernetes");
  const { kc } = await loadKubeConfig(connection);
  const server = kc.getCurrentCluster()?.server;
  return server ? { ...connection, url: server } : connection;
}

function render(options: CollectOptions, evaluations: WorkloadEvaluation[]): string {
  const output = buildScanOutput(evaluations);
  if (options.format === "json") return JSON.stringify(output, null, 2) + "\n";
  return renderTable(evaluations, { output, skipped: {}, errors: 0 });
}

function failsGate(evaluations: readonly WorkloadEvaluation[], failOn: Severity): boolean {
  return evaluations.some((evaluation) =>
    evaluation.containers.some((container) =>
      container.checks.some((check) => isOpenFailure(check) && isSeverityAtLeast(check.severity, failOn)),
    ),
  );
}

export async function run(argv: string[]): Promise<number> {
  let options: CollectOptions | null;
  try {
    options = parseCollectArgs(argv);
  } catch (error) {
    process.stderr.write(`rampart collect: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  let polled: Polled;
  try {
    polled = await poll(options);
  } catch (error) {
    process.stderr.write(`rampart collect: ${(error as Error).message}\n`);
    return 2;
  }
  for (const warning of polled.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(render(options, polled.evaluations));
  return failsGate(polled.evaluations, options.failOn) ? 1 : 0;
}
