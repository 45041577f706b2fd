import type { ServerResponse } from "node:http";
import { groupVersion, type ResourceType } from "./resources";
import { tooOldResourceVersion } from "./status";
import type { ClusterStore, WatchEvent } from "./store";

export interface WatchRequest {
  store: ClusterStore;
  type: ResourceType;
  namespace?: string;
  query: Record<string, string>;
  res: ServerResponse;
  /** Open watch responses, so the server can end them (as its own watch timeout would). */
  open: Set<ServerResponse>;
  bookmarkMs: number;
}

function line(type: string, objectJson: string): string {
  return `{"type":"${type}","object":${objectJson}}\n`;
}

/**
 * Serves `?watch=1` as the API server does: from `resourceVersion` (or the current state as ADDED events when it
 * is unset or "0"), then every change as it happens, BOOKMARKs when asked, until `timeoutSeconds` or the client
 * goes. Returns the HTTP status sent and, for a compacted resourceVersion, the 410 carried in the ERROR event.
 */
export function serveWatch(request: WatchRequest): { status: number; watchError?: number } {
  const { store, type, namespace, query, res } = request;
  const given = query.resourceVersion;
  const from = given === undefined || given === "" || given === "0" ? undefined : Number(given);
  if (from !== undefined && !(Number.isInteger(from) && from >= 0)) return { status: 400 };
  const start = store.watchFrom(type.plural, namespace, from ?? store.currentVersion);
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
  if (!start.ok) {
    res.end(line("ERROR", JSON.stringify(tooOldResourceVersion(from ?? 0, start.oldest))));
    return { status: 200, watchError: 410 };
  }
  const initial: WatchEvent[] =
    from === undefined
      ? (store.list(type.plural, namespace, {}) as { items: WatchEvent["object"][] }).items.map((object) => ({
          type: "ADDED",
          plural: type.plural,
          resourceVersion: start.resourceVersion,
          object,
        }))
      : start.events;
  // Headers go out at once, as upstream's do: a client waits for them before it reads any event.
  res.flushHeaders();
  for (const event of initial) res.write(line(event.type, store.jsonOf(event.object)));
  const matches = (event: WatchEvent) =>
    event.plural === type.plural && (namespace === undefined || event.object.metadata.namespace === namespace);
  const unsubscribe = store.subscribe((event) => {
    if (matches(event) && !res.writableEnded) res.write(line(event.type, store.jsonOf(event.object)));
  });
  const bookmark = JSON.stringify({ kind: type.kind, apiVersion: groupVersion(type), metadata: {} });
  const bookmarks =
    query.allowWatchBookmarks === "true"
      ? setInterval(() => {
          if (res.writableEnded) return;
          const rv = JSON.stringify({ resourceVersion: String(store.currentVersion) });
          res.write(line("BOOKMARK", bookmark.replace('"metadata":{}', `"metadata":${rv}`)));
        }, request.bookmarkMs)
      : undefined;
  const seconds = Number(query.timeoutSeconds);
  const timeout = seconds > 0 ? setTimeout(() => res.end(), seconds * 1000) : undefined;
  request.open.add(res);
  res.once("close", () => {
    unsubscribe();
    clearInterval(bookmarks);
    clearTimeout(timeout);
    request.open.delete(res);
  });
  return { status: 200 };
}
