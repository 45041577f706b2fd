import { readFile } from "node:fs/promises";
import {
  clusterTarget,
  clusterTargetInputSchema,
  dockerCredentials,
  dockerTargetInputSchema,
  isUniqueViolation,
} from "@/lib/services/targets/target-forms";
import type { Db } from "@/lib/db";
import { visibleText } from "@/lib/format/visible-text";
import { columns } from "../output/columns";
import { recordAudit } from "@/lib/services/audit";
import { createTarget, deleteTarget } from "@/lib/services/targets";
import { InputError, runVerbCommand, type VerbValues } from "../verb-command";
import { cliActor } from "../with-database";

export const USAGE = `Usage: rampart targets <list|add|remove> [options]

  list
  add --name NAME --docker URL [--include-stopped] [--tls-ca F --tls-cert F --tls-key F] [--interval SECONDS]
  add --name NAME --kubeconfig FILE [--context NAME] [--namespaces a,b] [--interval SECONDS]
  remove NAME

Targets are checked as on the dashboard (a kubeconfig with inline data only, TLS files that parse and match),
stored with their credentials encrypted, and audit-logged. Uses DATABASE_URL, or the embedded database.
Exit codes: 0 done, 1 failed, 2 usage or input error.
`;

const OPTIONS = {
  name: { type: "string" },
  docker: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespaces: { type: "string" },
  "include-stopped": { type: "boolean" },
  "tls-ca": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  interval: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = VerbValues<typeof OPTIONS>;

async function readOwnFile(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: ${(error as NodeJS.ErrnoException).code ?? "cannot read"}`);
  }
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`).join("; ");
}

/** The dashboard's own form schemas, fed from flags and the operator's own files. */
async function targetFromFlags(values: Values) {
  const interval = values.interval === undefined ? 300 : Number(values.interval);
  if (!Number.isInteger(interval) || interval < 10 || interval > 86_400)
    throw new InputError("--interval must be a whole number of seconds from 10 to 86400");
  if ((values.docker === undefined) === (values.kubeconfig === undefined))
    throw new InputError("give exactly one of --docker URL and --kubeconfig FILE");
  if (values.docker !== undefined) {
    const parsed = dockerTargetInputSchema.safeParse({
      name: values.name ?? "",
      url: values.docker,
      tlsCa: await readOwnFile(values["tls-ca"]),
      tlsCert: await readOwnFile(values["tls-cert"]),
      tlsKey: await readOwnFile(values["tls-key"]),
      includeStopped: values["include-stopped"] ? "true" : undefined,
    });
    if (!parsed.success) throw new InputError(issues(parsed.error));
    const credentials = dockerCredentials(parsed.data);
    return {
      name: parsed.data.name,
      platform: "docker" as const,
      url: parsed.data.url,
      settings: parsed.data.includeStopped ? { includeStopped: true } : {},
      ...(Object.keys(credentials).length > 0 ? { credentials: { ...credentials } } : {}),
      intervalSeconds: interval,
    };
  }
  const parsed = clusterTargetInputSchema.safeParse({
    name: values.name ?? "",
    mode: "kubeconfig",
    kubeconfig: await readOwnFile(values.kubeconfig),
    context: values.context,
    namespaces: values.namespaces,
  });
  if (!parsed.success) throw new InputError(issues(parsed.error));
  let cluster: ReturnType<typeof clusterTarget>;
  try {
    cluster = clusterTarget(parsed.data);
  } catch (error) {
    throw new InputError(`--kubeconfig: ${(error as Error).message}`);
  }
  return {
    name: parsed.data.name,
    platform: "kubernetes" as const,
    url: cluster.url,
    settings: { ...cluster.settings },
    credentials: { ...cluster.credentials },
    intervalSeconds: interval,
  };
}

async function list(db: Db): Promise<number> {
  const targets = await db.target.findMany({ orderBy: { name: "asc" } });
  const lines = [["NAME", "PLATFORM", "URL", "ENABLED", "INTERVAL"]];
  for (const t of targets)
    lines.push([
      visibleText(t.name),
      t.platform,
      visibleText(t.url),
      t.enabled ? "yes" : "no",
      `${t.intervalSeconds}s`,
    ]);
  process.stdout.write(columns(lines));
  return 0;
}

async function add(db: Db, values: Values): Promise<number> {
  const input = await targetFromFlags(values);
  const actor = cliActor();
  try {
    await createTarget(db, input);
  } catch (error) {
    if (isUniqueViolation(error)) throw new InputError(`a target named ${input.name} exists`);
    throw new InputError((error as Error).message);
  }
  await recordAudit(db, {
    actor: actor.email,
    action: "target.created",
    target: input.name,
    detail: { platform: input.platform, url: input.url, source: "cli" },
  });
  process.stdout.write(`added ${input.platform} target ${input.name} (${visibleText(input.url)})\n`);
  return 0;
}

async function remove(db: Db, name: string): Promise<number> {
  const target = await db.target.findUnique({ where: { name }, select: { id: true, platform: true } });
  if (!target) throw new InputError(`no target is named ${visibleText(name)}`);
  await deleteTarget(db, target.id);
  await recordAudit(db, { actor: cliActor().email, action: "target.deleted", target: name, detail: { source: "cli" } });
  process.stdout.write(`removed target ${visibleText(name)} with its runs and findings\n`);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return runVerbCommand(argv, {
    name: "targets",
    usage: USAGE,
    options: OPTIONS,
    verbs: ["list", "add", "remove"],
    usageProblem(verb, rest) {
      if (verb === "remove" && rest.length !== 1) return "remove takes one target name";
      if (verb !== "remove" && rest.length > 0) return `unexpected argument "${rest[0]}"`;
    },
    run(db, verb, rest, values) {
      if (verb === "list") return list(db);
      if (verb === "add") return add(db, values);
      return remove(db, rest[0] ?? "");
    },
  });
}
