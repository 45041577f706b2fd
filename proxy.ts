import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { SESSION_COOKIE } from "@/lib/auth/cookies";
import { isHttps } from "@/lib/auth/request-meta";
import { signInPath } from "@/lib/auth/safe-next";
import { securityHeaders } from "@/lib/auth/security-headers";
import { getSessionUser } from "@/lib/auth/session-store";

const PUBLIC_PAGES = /^\/(sign-in|setup)(\/|$)/;

/**
 * Pages stream behind app/loading.tsx, so a redirect thrown by requireRole arrives after a 200 status; this
 * answers a real 307 to sign-in first. Roles are still checked by requireRole/requireApiRole on the server.
 */
async function isSignedOutPage(request: NextRequest): Promise<boolean> {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/") || PUBLIC_PAGES.test(pathname)) return false;
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  return !token || (await getSessionUser(getDb(), token)) === null;
}

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    isDev: process.env.NODE_ENV === "development",
    https: isHttps(request.headers),
  });
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  let response: NextResponse;
  if (await isSignedOutPage(request)) {
    response = NextResponse.redirect(new URL(signInPath(path), request.url), 307);
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
    requestHeaders.set("x-rampart-path", path);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
