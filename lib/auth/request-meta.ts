import type { RequestMeta } from "./session-store";

/**
 * The client address as the proxy in front reports it; Rampart's own server is reached on loopback, so without
 * a forwarding proxy the header is absent and the address is unknown.
 */
export function requestMetaFrom(headers: Headers): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip") || null;
  return { ip: ip?.slice(0, 100) ?? null, userAgent: headers.get("user-agent")?.slice(0, 300) ?? null };
}

/** Behind HTTPS (directly or via a TLS-terminating proxy) cookies get `Secure` and responses get HSTS. */
export function isHttps(headers: Headers, url?: string): boolean {
  if (process.env.RAMPART_HTTPS === "1") return true;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (proto) return proto === "https";
  return url ? url.startsWith("https:") : false;
}
