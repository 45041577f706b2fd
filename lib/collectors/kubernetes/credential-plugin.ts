import { execFile } from "node:child_process";
import path from "node:path";

/** An `exec` credential plugin of a kubeconfig user, as read from the kubeconfig. */
export interface CredentialPlugin {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
}

export interface PluginCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
}

export const PLUGINS_VARIABLE = "RAMPART_KUBE_CREDENTIAL_PLUGINS";
export const PLUGIN_TIMEOUT_MS = 10_000;
/** The only PATH an allowed plugin gets (helpers such as `aws` or `gcloud` live here); the kubeconfig cannot change it. */
export const PLUGIN_PATH = "/usr/local/bin:/usr/bin:/bin";
const MAX_OUTPUT_BYTES = 1_000_000;

/** Variables that make a program load code or change how it runs: never taken from an uploaded kubeconfig. */
const REFUSED_ENV =
  /^(PATH|LD_.*|DYLD_.*|NODE_OPTIONS|NODE_PATH|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PS4|IFS|PYTHON.*|PERL5?(LIB|OPT)|RUBY(OPT|LIB)|GCONV_PATH|HOSTALIASES|LOCALDOMAIN|RES_OPTIONS|KUBERNETES_EXEC_INFO)$/;

/** The absolute command paths the server's operator allowed, from RAMPART_KUBE_CREDENTIAL_PLUGINS (comma-separated). */
export function allowedCredentialPlugins(env: Record<string, string | undefined> = process.env): string[] {
  const listed = (env[PLUGINS_VARIABLE] ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return listed.filter((entry) => path.isAbsolute(entry) && path.normalize(entry) === entry);
}

function pluginEnv(plugin: CredentialPlugin): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of plugin.env) {
    if (REFUSED_ENV.test(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`the credential plugin ${plugin.command} may not be given the environment variable ${name}`);
    env[name] = value;
  }
  env.PATH = PLUGIN_PATH;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: plugin.apiVersion,
    kind: "ExecCredential",
    spec: { interactive: false },
  });
  return env;
}

function readCredential(command: string, stdout: string): PluginCredential {
  let status: Record<string, unknown> | undefined;
  try {
    status = (JSON.parse(stdout) as { status?: Record<string, unknown> }).status;
  } catch {
    throw new Error(`the credential plugin ${command} did not print an ExecCredential (JSON)`);
  }
  const pick = (key: string) => (typeof status?.[key] === "string" ? (status[key] as string) : undefined);
  const credential: PluginCredential = {};
  const token = pick("token");
  const cert = pick("clientCertificateData");
  const key = pick("clientKeyData");
  if (token) credential.token = token;
  if (cert && key) Object.assign(credential, { clientCertificateData: cert, clientKeyData: key });
  if (!credential.token && !credential.clientKeyData)
    throw new Error(`the credential plugin ${command} printed no token and no client certificate with its key`);
  return credential;
}

/**
 * Runs an operator-allowed plugin ourselves (client-node would give it the server's whole environment): no shell,
 * an environment holding only PATH and what the kubeconfig lists, no stdin, killed after `timeoutMs`.
 */
export async function runCredentialPlugin(
  plugin: CredentialPlugin,
  options: { allowedPlugins?: readonly string[]; timeoutMs?: number } = {},
): Promise<PluginCredential> {
  const allowed = options.allowedPlugins ?? allowedCredentialPlugins();
  if (!allowed.includes(plugin.command))
    throw new Error(
      `the credential plugin ${plugin.command} is not allowed on this server (${PLUGINS_VARIABLE}); use a ServiceAccount token instead`,
    );
  const env = pluginEnv(plugin);
  const timeoutMs = options.timeoutMs ?? PLUGIN_TIMEOUT_MS;
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      plugin.command,
      plugin.args,
      {
        env: env as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: MAX_OUTPUT_BYTES,
        cwd: "/",
        windowsHide: true,
      },
      (error, out) => {
        if (!error) return resolve(out);
        if (error.killed || error.signal === "SIGKILL")
          return reject(
            new Error(`the credential plugin ${plugin.command} did not answer within ${timeoutMs / 1000} s`),
          );
        const code = typeof error.code === "number" ? `exit code ${error.code}` : (error.code ?? "failed");
        reject(new Error(`the credential plugin ${plugin.command} failed (${code})`));
      },
    );
    child.stdin?.end();
  });
  return readCredential(plugin.command, stdout);
}
