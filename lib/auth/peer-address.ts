import type { IncomingMessage } from "node:http";

/**
 * The TCP peer of a request, which Next does not expose: `next start` fills X-Forwarded-For with it only when the
 * client sent none, so a client-chosen value would be indistinguishable. Every request's header is overwritten
 * here, before Next sees the request, so a client cannot supply its own.
 */
export const PEER_HEADER = "x-rampart-peer";

const INSTALLED = Symbol.for("rampart.peer-address-hook");

type Flagged = typeof globalThis & { [INSTALLED]?: boolean };

export function isPeerHookInstalled(): boolean {
  return (globalThis as Flagged)[INSTALLED] === true;
}

/** Marks the header as authoritative; tests call it without a server. */
export function markPeerHookInstalled(installed = true): void {
  (globalThis as Flagged)[INSTALLED] = installed;
}

/** Called from instrumentation.ts in the Node runtime, in the process whose http.Server `next start` made. */
export async function installPeerAddressHook(): Promise<void> {
  if (isPeerHookInstalled()) return;
  const http = await import("node:http");
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (
    this: InstanceType<typeof http.Server>,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  markPeerHookInstalled();
}
