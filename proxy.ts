import { NextResponse, type NextRequest } from "next/server";
import { isHttps } from "@/lib/auth/request-meta";
import { securityHeaders } from "@/lib/auth/security-headers";

// Headers only: who may see what is decided by requireRole/requireApiRole on the server, not here.
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    isDev: process.env.NODE_ENV === "development",
    https: isHttps(request.headers, request.url),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  requestHeaders.set("x-rampart-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
