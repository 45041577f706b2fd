import type { IncomingMessage, ServerResponse } from "node:http";
import type { DockerHostSpec } from "@/lib/simulator/fleet";
import { inspectContainer, labels } from "./containers";
import {
  containerSummary,
  engineVersion,
  imageHistory,
  infoOf,
  inspectImage,
  networksOf,
  versionOf,
} from "./engine-objects";
import { HostIndex, matchesFilters, parseFilters } from "./host-index";

const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/)/;

interface Reply {
  status: number;
  body: unknown;
}

function notFound(message: string): Reply {
  return { status: 404, body: { message } };
}

function listContainers(index: HostIndex, query: URLSearchParams): Reply {
  let filters;
  try {
    filters = parseFilters(query.get("filters"));
  } catch {
    return { status: 400, body: { message: "invalid filter: filters must be a JSON object" } };
  }
  const all = query.get("all") === "1" || query.get("all") === "true";
  const now = Math.floor(Date.now() / 1000);
  const list = index.host.containers
    .filter((c) => (all || c.running) && matchesFilters(c, labels(c), filters))
    .map((c) => containerSummary(index.host, c, now));
  const limit = Number(query.get("limit") ?? -1);
  return { status: 200, body: limit > 0 ? list.slice(0, limit) : list };
}

function route(index: HostIndex, path: string, query: URLSearchParams): Reply {
  const host = index.host;
  if (path === "/version") return { status: 200, body: versionOf(host) };
  if (path === "/info") return { status: 200, body: infoOf(host, index.images.size) };
  if (path === "/networks") return { status: 200, body: networksOf(host) };
  if (path === "/containers/json") return listContainers(index, query);
  const container = path.match(/^\/containers\/([^/]+)\/json$/);
  if (container) {
    const ref = decodeURIComponent(container[1] as string);
    const found = index.findContainer(ref);
    return found ? { status: 200, body: inspectContainer(host, found) } : notFound(`No such container: ${ref}`);
  }
  const image = path.match(/^\/images\/(.+)\/(json|history)$/);
  if (image) {
    const ref = decodeURIComponent(image[1] as string);
    const found = index.findImage(ref);
    if (!found) return notFound(`No such image: ${ref}`);
    return { status: 200, body: image[2] === "json" ? inspectImage(found) : imageHistory(found) };
  }
  return notFound("page not found");
}

function answer(index: HostIndex, req: IncomingMessage, res: ServerResponse): void {
  const version = engineVersion(index.host);
  const url = new URL(req.url ?? "/", "http://docker");
  const path = url.pathname.replace(VERSION_PREFIX, "");
  res.setHeader("Api-Version", version.api);
  res.setHeader("Docker-Experimental", "false");
  res.setHeader("Ostype", "linux");
  res.setHeader("Server", `Docker/${version.version} (linux)`);
  if (path === "/_ping") {
    res.writeHead(200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-cache, no-store, must-revalidate",
    });
    res.end(req.method === "HEAD" ? undefined : "OK");
    return;
  }
  const reply =
    req.method === "GET"
      ? route(index, path, url.searchParams)
      : { status: 405, body: { message: "the simulator is read-only" } };
  const body = JSON.stringify(reply.body) + "\n";
  res.writeHead(reply.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** Answers the read-only Engine API of one simulated host, with or without the `/v1.xx` prefix. */
export function engineHandler(
  host: DockerHostSpec,
  options: { delayMs?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const index = new HostIndex(host);
  const delayMs = options.delayMs ?? 0;
  if (delayMs <= 0) return (req, res) => answer(index, req, res);
  return (req, res) => void setTimeout(() => answer(index, req, res), delayMs);
}
