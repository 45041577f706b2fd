import { readFile } from "node:fs/promises";
import {
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  ServerConfiguration,
  VersionApi,
  type Configuration,
  type Middleware,
  type RequestContext,
} from "@kubernetes/client-node";
import type { TargetConnection } from "@/lib/collectors/types";
import { runCredentialPlugin } from "./credential-plugin";
import { readUntrustedKubeconfig } from "./untrusted-kubeconfig";

export interface KubeApis {
  core: CoreV1Api;
  version: VersionApi;
  /** A configuration for one call, with extra middleware after the run's own (signal, timeout, pool). */
  configure(...middleware: Middleware[]): Configuration;
  /** The API server URL requests go to. */
  server: string;
  warnings: string[];
  /** Closes the connections kept open between requests. */
  close(): Promise<void>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/** A KubeConfig from the target: kubeconfig (+ context), URL + bearer token + CA, or the in-cluster account. */
export async function loadKubeConfig(target: TargetConnection): Promise<{ kc: KubeConfig; warnings: string[] }> {
  const kc = new KubeConfig();
  const warnings: string[] = [];
  const { settings, credentials } = target;
  if (settings.inCluster) {
    await loadInCluster(kc);
  } else if (credentials.kubeconfig && target.trustLocalFiles) {
    loadOwnKubeconfig(kc, credentials.kubeconfig, settings.context);
  } else if (credentials.kubeconfig) {
    await loadUntrustedKubeconfig(kc, credentials.kubeconfig, settings.context);
  } else {
    if (!target.url) throw new Error("a Kubernetes target needs a kubeconfig, an API server URL, or in-cluster mode");
    if (settings.tlsCaFile && !target.trustLocalFiles)
      throw new Error(
        `this target names a CA file on the Rampart server (${settings.tlsCaFile}), which Rampart does not read for stored targets: add the target again with the CA pasted as PEM`,
      );
    const ca = credentials.tlsCa ?? (settings.tlsCaFile ? await readFile(settings.tlsCaFile, "utf8") : undefined);
    const skipTLSVerify = settings.skipTlsVerify === true;
    if (skipTLSVerify) warnings.push(`TLS verification of ${target.url} is turned off for this target`);
    kc.loadFromOptions({
      clusters: [
        {
          name: "target",
          server: target.url,
          skipTLSVerify,
          ...(ca ? { caData: Buffer.from(ca).toString("base64") } : {}),
        },
      ],
      users: [{ name: "rampart", ...(credentials.bearerToken ? { token: credentials.bearerToken } : {}) }],
      contexts: [{ name: "target", cluster: "target", user: "rampart" }],
      currentContext: "target",
    });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no cluster for its current context");
  if (cluster.skipTLSVerify && !settings.inCluster && credentials.kubeconfig) {
    warnings.push(`the kubeconfig turns TLS verification off for ${cluster.server}`);
  }
  return { kc, warnings };
}

/** Where a pod's ServiceAccount token, CA and namespace are mounted; `RAMPART_SERVICEACCOUNT_DIR` overrides it. */
export const SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * In-cluster mode: the API server from KUBERNETES_SERVICE_HOST/PORT, the CA and the token from the ServiceAccount
 * folder, read at each run so a rotated (projected, expiring) token is picked up. Always HTTPS, always verified.
 */
async function loadInCluster(kc: KubeConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new Error("in-cluster mode needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT (set inside a pod)");
  const dir = env.RAMPART_SERVICEACCOUNT_DIR || SERVICEACCOUNT_DIR;
  const read = async (name: string) => {
    try {
      return await readFile(`${dir}/${name}`, "utf8");
    } catch (error) {
      throw new Error(
        `in-cluster mode cannot read ${dir}/${name}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
      );
    }
  };
  // One after the other: with both missing, the error names ca.crt every time (in parallel, whichever read failed first).
  const ca = await read("ca.crt");
  const token = await read("token");
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  kc.loadFromOptions({
    clusters: [{ name: "in-cluster", server, caData: Buffer.from(ca).toString("base64") }],
    users: [{ name: "rampart", token: token.trim() }],
    contexts: [{ name: "in-cluster", cluster: "in-cluster", user: "rampart" }],
    currentContext: "in-cluster",
  });
}

/**
 * An uploaded or stored kubeconfig: only its inline fields reach client-node, so it can neither run a command nor
 * read a file; an exec plugin the operator allowed is run here, with an empty environment and a timeout.
 */
async function loadUntrustedKubeconfig(kc: KubeConfig, text: string, context: string | undefined): Promise<void> {
  const inline = readUntrustedKubeconfig(text, context ? { context } : {});
  const { exec, ...user } = inline.user;
  if (exec) {
    const credential = await runCredentialPlugin(exec);
    if (credential.token) user.token = credential.token;
    if (credential.clientCertificateData && credential.clientKeyData) {
      user.certData = Buffer.from(credential.clientCertificateData).toString("base64");
      user.keyData = Buffer.from(credential.clientKeyData).toString("base64");
    }
  }
  kc.loadFromOptions({
    clusters: [inline.cluster],
    users: [user],
    contexts: [
      {
        name: inline.context,
        cluster: inline.cluster.name,
        user: user.name,
        ...(inline.namespace ? { namespace: inline.namespace } : {}),
      },
    ],
    currentContext: inline.context,
  });
}

/** `rampart collect --kubeconfig FILE`: the invoking user's own file, read as kubectl would (plugins run). */
function loadOwnKubeconfig(kc: KubeConfig, text: string, context: string | undefined): void {
  try {
    kc.loadFromString(text);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new Error(
      `the kubeconfig cannot be read${typeof line === "number" ? ` (YAML error at line ${line + 1})` : ""}`,
    );
  }
  if (!context) return;
  if (!kc.getContextObject(context)) throw new Error(`context "${context}" is not in the kubeconfig`);
  kc.setCurrentContext(context);
}

/** API clients whose every request is cut by the run's signal or after `timeoutMs`, whichever comes first. */
export async function createKubeApis(
  target: TargetConnection,
  signal: AbortSignal,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<KubeApis> {
  const { kc, warnings } = await loadKubeConfig(target);
  const server = (kc.getCurrentCluster() as { server: string }).server;
  // client-node makes a new connection pool (and TLS handshake) per request; one per run is reused instead,
  // built by the kubeconfig itself on the first request so it carries the same CA, client certificate and checks.
  let shared: Dispatcher | undefined;
  const bounded: Middleware = {
    pre: async (context) => {
      context.setSignal(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
      const own = context.getDispatcher();
      if (!shared) shared = own;
      else if (own) context.setDispatcher(shared);
      return context;
    },
    post: async (response) => response,
  };
  const configure = (...middleware: Middleware[]) =>
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [bounded, ...middleware],
    });
  const configuration = configure();
  return {
    core: new CoreV1Api(configuration),
    version: new VersionApi(configuration),
    configure,
    server,
    warnings,
    close: async () => {
      await shared?.destroy();
    },
  };
}
