import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { getSessionUser } from "@/lib/services/sessions";
import { getTokenUser } from "@/lib/services/tokens";
import { bearerToken } from "./api-token";
import { readCookie, SESSION_COOKIE } from "./cookies";
import { requestMetaFrom } from "./request-meta";
import { hasRole, type Role } from "./roles";
import { signInPath } from "./safe-next";
import type { SessionUser } from "./session-store";

export { ROLES, ROLE_RANK, hasRole, type Role } from "./roles";
export type { SessionUser } from "./session-store";

/** Header set by proxy.ts with the requested path, so a page can send the visitor back after sign-in. */
export const PATH_HEADER = "x-rampart-path";

/** The signed-in user of this request, or null; for pages that show something different when signed out. */
export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? getSessionUser(getDb(), token) : null;
}

/** Pages and server actions: redirects to sign-in without a session, renders 403 when the role is too low. */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(signInPath((await headers()).get(PATH_HEADER) ?? "/"));
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

function jsonError(status: 401 | 403, error: string): Response {
  const extra: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="rampart"' } : {};
  return Response.json({ error }, { status, headers: { "Cache-Control": "no-store", ...extra } });
}

/** Route handlers: a bearer API token or a session cookie; a 401 or 403 JSON Response to return as is otherwise. */
export async function requireApiRole(request: Request, role: Role): Promise<SessionUser | Response> {
  const db = getDb();
  const bearer = bearerToken(request.headers.get("authorization"));
  const cookie = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  let user: SessionUser | null = null;
  if (bearer) user = await getTokenUser(db, bearer, requestMetaFrom(request.headers));
  else if (request.headers.has("authorization")) user = null;
  else if (cookie) user = await getSessionUser(db, cookie);
  if (!user) return jsonError(401, "authentication required");
  if (!hasRole(user.role, role)) return jsonError(403, `requires the ${role} role`);
  return user;
}
