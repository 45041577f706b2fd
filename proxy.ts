import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { SESSION_COOKIE } from "@/lib/auth/cookies";
import { isHttps } from "@/lib/auth/request-meta";
import { signInPath } from "@/lib/auth/safe-next";
import type { Role } from "@/lib/auth/roles";
import { securityHeaders } from "@/lib/auth/security-headers";
import { isActionPost, refusePost } from "@/lib/http/post-guard";
import { createLogger, isJsonLogging } from "@/lib/log";
import { getSessionUser } from "@/lib/services/sessions";

const PUBLIC_PAGES = /^\/(sign-in|setup)(\/|$)/;
/** Answered by route handlers for machines (Prometheus, probes): they authenticate on their own, like /api/. */
const MACHINE_ROUTES = /^\/(metrics|healthz|readyz)$/;
/** A caller's (or a load balancer's) request id is kept when it looks like one; otherwise a new one is made. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const log = createLogger("web");

export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/** The session's role, or null when signed out; API routes authenticate on their own (tokens too). */
async function sessionRole(request: NextRequest): Promise<Role | null> {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  return token ? ((await getSessionUser(getDb(), token))?.role ?? null) : null;
}

function plainAnswer(status: number, message: string): NextResponse {
  return new NextResponse(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * A real 307 to sign-in for a signed-out page, and a real 403/413 for action posts Next would answer with 404
 * (forbidden() in a form post) or 500 (foreign Origin, body over the limit). Roles are still checked by
 * requireRole/requireApiRole on the server.
 */
async function earlyAnswer(request: NextRequest, path: string): Promise<NextResponse | null> {
  const { pathname } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/") && !MACHINE_ROUTES.test(pathname) && !PUBLIC_PAGES.test(pathname);
  const role = isPage || isActionPost(request.method, pathname, request.headers) ? await sessionRole(request) : null;
  const refusal = refusePost({ method: request.method, pathname, headers: request.headers, role });
  if (refusal) return plainAnswer(refusal.status, refusal.message);
  if (isPage && role === null) return NextResponse.redirect(new URL(signInPath(path), request.url), 307);
  return null;
}

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    isDev: process.env.NODE_ENV === "development",
    https: isHttps(request.headers),
  });
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  const requestId = requestIdOf(request.headers);
  // The path without its query, which may carry a one-time token (setup links, sign-in redirects).
  const fields = { requestId, method: request.method, path: request.nextUrl.pathname };
  // Every request is an info line for log collectors (JSON); probes and scrapes, and terminals, only at debug.
  const level = isJsonLogging() && !MACHINE_ROUTES.test(fields.path) ? "info" : "debug";
  log[level](`${fields.method} ${fields.path} (${requestId})`, fields);
  let response = await earlyAnswer(request, path);
  if (!response) {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-request-id", requestId);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
    requestHeaders.set("x-rampart-path", path);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
