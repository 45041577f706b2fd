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
    kc.loadFromCluster();
  } else if (credentials.kubeconfig) {
    loadKubeconfigText(kc, credentials.kubeconfig);
    if (settings.context) {
      if (!kc.getContextObject(settings.context))
        throw new Error(`context "${settings.context}" is not in the kubeconfig`);
      kc.setCurrentContext(settings.context);
    }
  } else {
    if (!target.url) throw new Error("a Kubernetes target needs a kubeconfig, an API server URL, or in-cluster mode");
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

/** YAML errors quote the text around the fault, which may be a token: only the position is kept. */
function loadKubeconfigText(kc: KubeConfig, text: string): void {
  try {
    kc.loadFromString(text);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new Error(
      `the kubeconfig cannot be read${typeof line === "number" ? ` (YAML error at line ${line + 1})` : ""}`,
    );
  }
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
