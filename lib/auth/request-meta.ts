import { isPeerHookInstalled, PEER_HEADER } from "./peer-address";
import type { RequestMeta } from "./session-store";
import { normalizeAddress, trustedProxiesFromEnv, type TrustedProxies } from "./trusted-proxies";

/** The socket's address, or null outside a server that installed the peer hook (then the header is not ours). */
function peerAddress(headers: Headers): string | null {
  if (!isPeerHookInstalled()) return null;
  const value = headers.get(PEER_HEADER);
  return value ? normalizeAddress(value) : null;
}

/** True when the request came straight from a proxy listed in RAMPART_TRUSTED_PROXIES. */
export function isFromTrustedProxy(headers: Headers, proxies: TrustedProxies = trustedProxiesFromEnv()): boolean {
  const peer = peerAddress(headers);
  return peer !== null && proxies.has(peer);
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy; then the right-most X-Forwarded-For
 * entry that is not itself a trusted proxy (proxies append, so entries left of it are the client's own words),
 * else X-Real-IP. Forwarding headers from anyone else are ignored.
 */
export function clientAddress(headers: Headers, proxies: TrustedProxies = trustedProxiesFromEnv()): string | null {
  const peer = peerAddress(headers);
  if (peer === null || !proxies.has(peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => normalizeAddress(hop))
    .filter((hop): hop is string => hop !== null);
  const client = hops.reverse().find((hop) => !proxies.has(hop));
  if (client) return client;
  const realIp = normalizeAddress(headers.get("x-real-ip") ?? "");
  return realIp ?? hops.at(-1) ?? peer;
}

export function requestMetaFrom(headers: Headers, proxies?: TrustedProxies): RequestMeta {
  return { ip: clientAddress(headers, proxies), userAgent: headers.get("user-agent")?.slice(0, 300) ?? null };
}

/**
 * Behind HTTPS cookies get `Secure` and responses get HSTS: RAMPART_HTTPS=1, or X-Forwarded-Proto `https` from a
 * trusted proxy. `next start` only speaks plain HTTP, and Next builds request.url's scheme from X-Forwarded-Proto
 * whoever sent it, so the URL proves nothing.
 */
export function isHttps(headers: Headers, proxies?: TrustedProxies): boolean {
  if (process.env.RAMPART_HTTPS === "1") return true;
  if (!isFromTrustedProxy(headers, proxies)) return false;
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/** The Host the browser used: X-Forwarded-Host from a trusted proxy, else Host. */
export function requestHost(headers: Headers, proxies?: TrustedProxies): string | null {
  const forwarded = isFromTrustedProxy(headers, proxies) ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : "";
  return forwarded || headers.get("host");
}
