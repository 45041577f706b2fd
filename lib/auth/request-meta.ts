import type { RequestMeta } from "./session-store";

/**
 * The client address: the rightmost X-Forwarded-For entry, which is the one the nearest hop saw. `next start`
 * fills the header with the socket's address when it is absent; a proxy in front (nginx `$proxy_add_x_forwarded_for`)
 * appends the address it saw, so a value the client made up stays to the left and is ignored.
 */
export function requestMetaFrom(headers: Headers): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
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
