import "server-only";
import { getDb } from "@/lib/db";
import { readCookie, SESSION_COOKIE, sessionCookieOptions } from "./cookies";
import { completeAuthorization, OIDC_COOKIE, startAuthorization } from "./oidc";
import { oidcConfigFromEnv } from "./oidc-config";
import { isHttps, requestHost, requestMetaFrom } from "./request-meta";

const PENDING_MAX_AGE_S = 600;

/**
 * RAMPART_PUBLIC_URL, else the Host the browser used (Next reports request.url with its own host name). A forged
 * Host only yields a redirect URI the provider has not registered.
 */
function publicOrigin(request: Request): string {
  const configured = process.env.RAMPART_PUBLIC_URL?.replace(/\/$/, "");
  if (configured) return configured;
  const host = requestHost(request.headers);
  const protocol = isHttps(request.headers) ? "https" : "http";
  return host ? `${protocol}://${host}` : new URL(request.url).origin;
}

function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

function cookieHeader(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** GET /api/auth/oidc/start: public, sends the browser to the provider. */
export async function handleOidcStart(request: Request): Promise<Response> {
  const config = oidcConfigFromEnv();
  if (!config) return Response.json({ error: "single sign-on is not configured" }, { status: 404 });
  const next = new URL(request.url).searchParams.get("next") ?? "/";
  try {
    const { url, cookie } = await startAuthorization(config, `${publicOrigin(request)}/api/auth/oidc/callback`, next);
    return redirectTo(url, [cookieHeader(OIDC_COOKIE, cookie, PENDING_MAX_AGE_S, isHttps(request.headers))]);
  } catch (error) {
    console.error(`single sign-on: discovery failed: ${error instanceof Error ? error.message : "unknown error"}`);
    return redirectTo("/sign-in?error=sso");
  }
}

/** GET /api/auth/oidc/callback: public, the provider sends the browser back here with a code. */
export async function handleOidcCallback(request: Request): Promise<Response> {
  const config = oidcConfigFromEnv();
  if (!config) return Response.json({ error: "single sign-on is not configured" }, { status: 404 });
  const secure = isHttps(request.headers);
  const clearPending = cookieHeader(OIDC_COOKIE, "", 0, secure);
  const result = await completeAuthorization(getDb(), config, {
    callbackUrl: request.url,
    cookie: readCookie(request.headers.get("cookie"), OIDC_COOKIE),
    redirectUri: `${publicOrigin(request)}/api/auth/oidc/callback`,
    meta: requestMetaFrom(request.headers),
  });
  if (!result.ok) return redirectTo("/sign-in?error=sso", [clearPending]);
  const options = sessionCookieOptions(secure);
  const session = cookieHeader(SESSION_COOKIE, result.sessionToken, options.maxAge, secure);
  return redirectTo(result.next, [clearPending, session]);
}
