import { parse } from "yaml";
import { allowedCredentialPlugins, type CredentialPlugin } from "./credential-plugin";

/** One context of an uploaded kubeconfig, reduced to the inline fields Rampart accepts. */
export interface InlineKubeconfig {
  context: string;
  namespace?: string;
  cluster: { name: string; server: string; caData?: string; skipTLSVerify: boolean; tlsServerName?: string };
  user: {
    name: string;
    token?: string;
    username?: string;
    password?: string;
    certData?: string;
    keyData?: string;
    /** Only when the server's operator allowed this command (RAMPART_KUBE_CREDENTIAL_PLUGINS). */
    exec?: CredentialPlugin;
  };
}

export const SERVICE_ACCOUNT_HINT =
  'use a ServiceAccount token (user.token) and inline *-data fields instead (README, "A ServiceAccount token for Rampart")';

type Entry = Record<string, unknown>;

/** Fields that make client-node read a file, run a command or go through another host, and what to use instead. */
const REFUSED: Record<"cluster" | "user", Record<string, string>> = {
  cluster: {
    "certificate-authority": "names a file on the Rampart server; paste the CA as certificate-authority-data",
    "proxy-url": "sends the connection through another host; Rampart connects to the API server directly",
  },
  user: {
    exec: "runs a command on the Rampart server",
    "auth-provider": "runs a command or reads files on the Rampart server",
    "client-certificate": "names a file on the Rampart server; paste it as client-certificate-data",
    "client-key": "names a file on the Rampart server; paste it as client-key-data",
    tokenFile: "names a file on the Rampart server; paste the token as token",
    "token-file": "names a file on the Rampart server; paste the token as token",
  },
};

const ACCEPTED = {
  cluster: ["server", "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name", "extensions"],
  user: ["token", "username", "password", "client-certificate-data", "client-key-data", "extensions"],
  context: ["cluster", "user", "namespace", "extensions"],
};

const isObject = (value: unknown): value is Entry =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function refuse(kind: string, name: string, field: string, why: string): never {
  throw new Error(`the kubeconfig's ${kind} "${name}" sets ${field}, which ${why}: ${SERVICE_ACCOUNT_HINT}`);
}

/** Parses without ever quoting the text: YAML errors show the line around the fault, which may hold a token. */
function parseYaml(text: string): Entry {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new Error(`the kubeconfig cannot be read${typeof line === "number" ? ` (YAML error at line ${line})` : ""}`);
  }
  if (!isObject(doc)) throw new Error("the kubeconfig cannot be read (it is not a YAML mapping)");
  return doc;
}

function entries(doc: Entry, list: "clusters" | "users" | "contexts", field: string): Map<string, Entry> {
  const raw = doc[list] ?? [];
  if (!Array.isArray(raw)) throw new Error(`the kubeconfig's ${list} is not a list`);
  const byName = new Map<string, Entry>();
  for (const item of raw) {
    const name = isObject(item) && typeof item.name === "string" ? item.name : undefined;
    if (!name || !isObject(item)) throw new Error(`the kubeconfig has an entry in ${list} without a name`);
    const body = item[field] ?? {};
    if (!isObject(body)) throw new Error(`the kubeconfig's ${field} "${name}" is not a mapping`);
    byName.set(name, body);
  }
  return byName;
}

function checkFields(kind: "cluster" | "user" | "context", name: string, body: Entry): void {
  for (const field of Object.keys(body)) {
    if (ACCEPTED[kind].includes(field)) continue;
    if (kind === "user" && field === "exec") continue;
    const why = kind === "context" ? undefined : REFUSED[kind][field];
    if (why) refuse(kind, name, field, why);
    throw new Error(
      `the kubeconfig's ${kind} "${name}" sets ${field}, which Rampart does not accept: ${SERVICE_ACCOUNT_HINT}`,
    );
  }
}

function text(kind: string, name: string, body: Entry, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new Error(`the kubeconfig's ${kind} "${name}" has a ${field} that is not text`);
  return value;
}

function readExec(name: string, exec: unknown, allowed: readonly string[]): CredentialPlugin {
  const command = isObject(exec) && typeof exec.command === "string" ? exec.command : undefined;
  if (!command || !isObject(exec)) throw new Error(`the kubeconfig's user "${name}" has an exec without a command`);
  if (!allowed.includes(command))
    refuse(
      "user",
      name,
      `exec (command ${JSON.stringify(command)})`,
      `runs a command on the Rampart server, and the server's operator has not allowed it in RAMPART_KUBE_CREDENTIAL_PLUGINS`,
    );
  const args = exec.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string"))
    throw new Error(`the kubeconfig's user "${name}" has exec args that are not a list of text`);
  const env = exec.env ?? [];
  if (
    !Array.isArray(env) ||
    !env.every((e) => isObject(e) && typeof e.name === "string" && typeof e.value === "string")
  )
    throw new Error(`the kubeconfig's user "${name}" has an exec env that is not a list of name/value pairs`);
  const apiVersion = typeof exec.apiVersion === "string" ? exec.apiVersion : "client.authentication.k8s.io/v1";
  return {
    command,
    args: args as string[],
    env: (env as { name: string; value: string }[]).map(({ name, value }) => ({ name, value })),
    apiVersion,
  };
}

function readCluster(name: string, body: Entry): InlineKubeconfig["cluster"] {
  checkFields("cluster", name, body);
  const server = text("cluster", name, body, "server");
  if (!server?.startsWith("https://"))
    throw new Error(`the kubeconfig's cluster "${name}" needs a server URL starting with https://`);
  const skip = body["insecure-skip-tls-verify"];
  if (skip !== undefined && typeof skip !== "boolean")
    throw new Error(`the kubeconfig's cluster "${name}" has an insecure-skip-tls-verify that is not true or false`);
  const caData = text("cluster", name, body, "certificate-authority-data");
  const tlsServerName = text("cluster", name, body, "tls-server-name");
  return {
    name,
    server,
    skipTLSVerify: skip === true,
    ...(caData ? { caData } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
  };
}

function readUser(name: string, body: Entry, allowed: readonly string[]): InlineKubeconfig["user"] {
  checkFields("user", name, body);
  const user: InlineKubeconfig["user"] = { name };
  const fields = [
    ["token", "token"],
    ["username", "username"],
    ["password", "password"],
    ["certData", "client-certificate-data"],
    ["keyData", "client-key-data"],
  ] as const;
  for (const [key, field] of fields) {
    const value = text("user", name, body, field);
    if (value) user[key] = value;
  }
  if (body.exec !== undefined) user.exec = readExec(name, body.exec, allowed);
  return user;
}

/**
 * Reads a kubeconfig that came from outside (dashboard, API, a stored target): every cluster and user entry must
 * hold inline data only. Throws an error naming the refused field and entry; secret values are never quoted.
 */
export function readUntrustedKubeconfig(
  source: string,
  options: { context?: string; allowedPlugins?: readonly string[] } = {},
): InlineKubeconfig {
  const allowed = options.allowedPlugins ?? allowedCredentialPlugins();
  const doc = parseYaml(source);
  const clusters = entries(doc, "clusters", "cluster");
  const users = entries(doc, "users", "user");
  const contexts = entries(doc, "contexts", "context");
  const readClusters = new Map([...clusters].map(([name, body]) => [name, readCluster(name, body)]));
  const readUsers = new Map([...users].map(([name, body]) => [name, readUser(name, body, allowed)]));
  for (const [name, body] of contexts) checkFields("context", name, body);
  const current = doc["current-context"];
  const name = options.context ?? (typeof current === "string" ? current : undefined);
  const context = name === undefined ? undefined : contexts.get(name);
  if (!name || !context)
    throw new Error(name ? `context "${name}" is not in the kubeconfig` : "the kubeconfig has no current context");
  const cluster = readClusters.get(String(context.cluster));
  if (!cluster) throw new Error(`context "${name}" names no cluster with a server URL`);
  const user = readUsers.get(String(context.user)) ?? { name: "none" };
  const namespace = text("context", name, context, "namespace");
  return { context: name, cluster, user, ...(namespace ? { namespace } : {}) };
}
