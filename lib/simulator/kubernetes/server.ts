import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isAllowed, type Identity } from "./auth";
import { generateServerTls, type ServerTls } from "./certs";
import { crdName, discoveryDocument, groupVersion, resourceByPlural, type ResourceType } from "./resources";
import * as status from "./status";
import { ClusterStore } from "./store";
import { toTable } from "./table";
import type { KubeObject } from "./expand";
import { serveWatch } from "./watch";

/** Switches tests flip to make the simulator misbehave the way real servers do. */
export interface SimulatorFaults {
  /** Added before every answer. */
  delayMs: number;
  /** How many of the next `continue` requests answer 410 Gone. */
  expireContinues: number;
  /** Only continue requests of this resource (plural) expire; all when unset. */
  expireOnly?: string;
  /** While set, new watch requests wait unanswered (a client cut off by the network), for at most a minute. */
  holdWatches?: boolean;
}

export interface RequestRecord {
  path: string;
  query: Record<string, string>;
  status: number;
  /** A watch answered 200 whose stream carried this error code (410 for a compacted resourceVersion). */
  watchError?: number;
}

export interface SimulatorOptions {
  objects: KubeObject[];
  /** Bearer token → who it is and what it may do. */
  tokens: Record<string, Identity>;
  host?: string;
  port?: number;
  tls?: ServerTls;
  gitVersion?: string;
  /** How often a watch asked for bookmarks gets one (upstream: about a minute). */
  bookmarkMs?: number;
}

export interface KubernetesSimulator {
  url: string;
  tls: ServerTls;
  store: ClusterStore;
  faults: SimulatorFaults;
  tokens: Map<string, Identity>;
  /** Every API request answered, newest last (bounded). */
  requests: RequestRecord[];
  /** Ends every open watch, as the server's own watch timeout does; clients watch again from where they were. */
  endWatches(): void;
  /** Watches being served right now. */
  openWatches(): number;
  close(): Promise<void>;
}

const MAX_RECORDS = 20_000;

export async function startKubernetesSimulator(options: SimulatorOptions): Promise<KubernetesSimulator> {
  const tls = options.tls ?? (await generateServerTls());
  const sim = {
    tls,
    store: new ClusterStore(options.objects),
    faults: { delayMs: 0, expireContinues: 0 },
    tokens: new Map(Object.entries(options.tokens)),
    requests: [] as RequestRecord[],
    gitVersion: options.gitVersion ?? "v1.33.2",
    watches: new Set<ServerResponse>(),
    bookmarkMs: options.bookmarkMs ?? 60_000,
  };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void handle(sim, req, res).catch(() => send(res, 500, { message: "internal error" }));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    ...sim,
    url,
    endWatches: () => {
      for (const res of sim.watches) res.end();
    },
    openWatches: () => sim.watches.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Sim = Omit<KubernetesSimulator, "url" | "close" | "endWatches" | "openWatches"> & {
  gitVersion: string;
  watches: Set<ServerResponse>;
  bookmarkMs: number;
};

async function handle(sim: Sim, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "https://simulator");
  const query = Object.fromEntries(url.searchParams);
  const record = (entry: Omit<RequestRecord, "path" | "query">) => {
    sim.requests.push({ path: url.pathname, query, ...entry });
    if (sim.requests.length > MAX_RECORDS) sim.requests.splice(0, sim.requests.length - MAX_RECORDS);
  };
  const reply = (code: number, body: unknown, raw?: string) => {
    record({ status: code });
    send(res, code, body, raw);
  };
  if (sim.faults.delayMs > 0) await new Promise((r) => setTimeout(r, sim.faults.delayMs));
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (["/healthz", "/livez", "/readyz"].includes(path)) return reply(200, undefined, "ok");
  const identity = identify(sim, req.headers.authorization);
  if (!identity) return reply(401, status.unauthorized());
  if (req.method !== "GET") return reply(405, status.methodNotAllowed());
  if (path === "/version") return reply(200, versionInfo(sim.gitVersion));
  const served = (type: ResourceType) =>
    !type.custom || sim.store.get("customresourcedefinitions", undefined, crdName(type)) !== undefined;
  const discovery = discoveryDocument(path, `${req.socket.localAddress}:${req.socket.localPort}`, served);
  if (discovery) return reply(200, discovery);
  const route = parseResourcePath(path);
  if (!route) return reply(404, status.pathNotFound());
  const watching = query.watch === "true" || query.watch === "1";
  if (watching && route.name !== undefined) return reply(405, status.methodNotAllowed());
  const verb = watching ? "watch" : route.name === undefined ? "list" : "get";
  const authNamespace = route.type.plural === "namespaces" ? route.name : route.namespace;
  const request = { verb, group: route.type.group, plural: route.type.plural, namespace: authNamespace };
  if (!isAllowed(identity, request)) {
    return reply(
      403,
      status.forbidden({ user: identity.user, ...request, namespace: route.namespace, name: route.name }),
    );
  }
  // Authorization comes first, as upstream's filter chain does: a custom type without its CRD is a 404 only then.
  if (!served(route.type)) return reply(404, status.pathNotFound());
  if (watching) return watch(sim, route, query, res, record);
  if (route.name !== undefined) {
    const object = sim.store.get(route.type.plural, route.namespace, route.name);
    return object
      ? reply(200, undefined, sim.store.jsonOf(object))
      : reply(404, status.notFound(route.type.plural, route.name, route.type.group));
  }
  return list(sim, route, query, wantsTable(req.headers.accept), reply);
}

function list(
  sim: Sim,
  route: Route,
  query: Record<string, string>,
  table: boolean,
  reply: (code: number, body: unknown, raw?: string) => void,
): void {
  const targeted = !sim.faults.expireOnly || sim.faults.expireOnly === route.type.plural;
  if (query.continue && targeted && sim.faults.expireContinues > 0) {
    sim.faults.expireContinues -= 1;
    return reply(410, status.expired());
  }
  const limit = query.limit ? Number(query.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
    return reply(400, status.badRequest(`invalid limit ${query.limit}`));
  const result = sim.store.list(route.type.plural, route.namespace, { limit, continue: query.continue });
  if (!result.ok) {
    return result.reason === "expired"
      ? reply(410, status.expired())
      : reply(400, status.badRequest("continue key is not valid"));
  }
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  if (table) return reply(200, toTable(route.type.plural, result.items, meta));
  const head = JSON.stringify({ kind: `${route.type.kind}List`, apiVersion: groupVersion(route.type), metadata: meta });
  const items = result.items.map((o) => sim.store.jsonOf(o)).join(",");
  reply(200, undefined, `${head.slice(0, -1)},"items":[${items}]}`);
}

async function watch(
  sim: Sim,
  route: Route,
  query: Record<string, string>,
  res: ServerResponse,
  record: (entry: Omit<RequestRecord, "path" | "query">) => void,
): Promise<void> {
  for (let waited = 0; sim.faults.holdWatches && waited < 60_000 && !res.destroyed; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
  const { namespace, type } = route;
  const answer = serveWatch({
    store: sim.store,
    type,
    namespace,
    query,
    res,
    open: sim.watches,
    bookmarkMs: sim.bookmarkMs,
  });
  if (answer.status !== 200)
    send(res, answer.status, status.badRequest(`invalid resourceVersion ${query.resourceVersion}`));
  record(answer);
}

interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

/** `/api/v1/pods`, `/apis/apps/v1/namespaces/shop/deployments/api`, `/api/v1/namespaces/shop`, … */
function parseResourcePath(path: string): Route | undefined {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [root, ...rest] = parts;
  const [group, version, tail] =
    root === "api" ? ["", rest[0], rest.slice(1)] : root === "apis" ? [rest[0], rest[1], rest.slice(2)] : [];
  if (group === undefined || !version || !tail) return undefined;
  const scoped = tail[0] === "namespaces" && tail.length >= 3;
  const [namespace, plural, name] = scoped ? [tail[1], tail[2], tail[3]] : [undefined, tail[0], tail[1]];
  if (!plural || tail.length > (scoped ? 4 : 2)) return undefined;
  const type = resourceByPlural(group, version, plural);
  if (!type || (scoped && !type.namespaced)) return undefined;
  return { type, namespace, name };
}

function identify(sim: Sim, header: string | undefined): Identity | undefined {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return token ? sim.tokens.get(token) : undefined;
}

function wantsTable(accept: string | undefined): boolean {
  return accept?.split(",")[0]?.includes("as=Table") ?? false;
}

function versionInfo(gitVersion: string): unknown {
  const [major, minor] = gitVersion.replace(/^v/, "").split(".");
  return {
    major,
    minor,
    gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.24.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

function send(res: ServerResponse, code: number, body: unknown, raw?: string): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(code, {
    "Content-Type": raw === "ok" ? "text/plain" : "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
