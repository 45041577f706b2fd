import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The address global-setup lists in RAMPART_TRUSTED_PROXIES; the browser itself connects from 127.0.0.1. */
export const TRUSTED_PROXY_ADDRESS = "127.0.0.2";

export interface TrustedProxy {
  /** Open pages here instead of url(): requests reach rampart serve from the trusted proxy address. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A reverse proxy in front of `rampart serve`, as nginx would be: it connects from TRUSTED_PROXY_ADDRESS, appends
 * `clientAddress` to X-Forwarded-For (the address it claims to have seen) and sets `extraHeaders`.
 */
export async function startTrustedProxy(
  target: string,
  clientAddress: string,
  extraHeaders: Record<string, string> = {},
): Promise<TrustedProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const forwarded = [incoming.headers["x-forwarded-for"], clientAddress].filter(Boolean).join(", ");
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        localAddress: TRUSTED_PROXY_ADDRESS,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, ...extraHeaders, "x-forwarded-for": forwarded },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    proxied.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
