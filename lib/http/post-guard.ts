import { hasRole, type Role } from "@/lib/auth/roles";
import { ruleFor } from "@/lib/auth/route-roles";

/** Next's own limit for server action bodies (next.config.js sets it explicitly); larger posts answer 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** One report file uploaded from the dashboard: the action body limit less room for the multipart envelope. */
export const MAX_UPLOAD_FILE_BYTES = MAX_BODY_BYTES - 64 * 1024;

/**
 * Scanner reports posted to `POST /api/v1/reports` may be larger. The proxy buffers bodies up to
 * `proxyClientMaxBodySize` (next.config.js, the same figure) and silently cuts longer ones, so nothing larger passes.
 */
export const MAX_REPORT_UPLOAD_BYTES = 32 * 1024 * 1024;
export const REPORT_UPLOAD_PATH = "/api/v1/reports";

export interface PostRefusal {
  status: 403 | 413;
  message: string;
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** What Next treats as a server action: a POST with a Next-Action header, or a form post to a page. */
export function isActionPost(method: string, pathname: string, headers: Headers): boolean {
  if (method !== "POST" || pathname.startsWith("/api/")) return false;
  return headers.has("next-action") || FORM_TYPES.test(headers.get("content-type") ?? "");
}

/** Next's CSRF rule for actions: an Origin whose host is not the request's host (forwarded host first). */
export function isCrossSite(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (!host) return true;
  try {
    return origin === "null" || new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function bodyLimitOf(pathname: string): number {
  return pathname.replace(/\/+$/, "") === REPORT_UPLOAD_PATH ? MAX_REPORT_UPLOAD_BYTES : MAX_BODY_BYTES;
}

function isTooLarge(headers: Headers, limit: number): boolean {
  const length = Number(headers.get("content-length") ?? "0");
  return Number.isFinite(length) && length > limit;
}

/**
 * The least role any server action posted to this page needs (route-roles.ts, the rules route-guard.test.ts
 * holds every action to); `public` for sign-in and setup. A page posting another folder's actions must not
 * offer one needing less than this: post-guard.test.ts checks every page's imports.
 */
export function actionFloor(pathname: string): Role | "public" {
  const folder = pathname.replace(/\/+$/, "");
  return ruleFor(`app${folder}/actions.ts`, "action")?.role ?? "admin";
}

/**
 * Answers Next would give as 404 or 500 (forbidden() in a form post, a foreign Origin, a body over the limit),
 * decided before the request reaches it. The actions still check the role themselves.
 */
export function refusePost(input: {
  method: string;
  pathname: string;
  headers: Headers;
  role: Role | null;
}): PostRefusal | null {
  const { method, pathname, headers, role } = input;
  const limit = bodyLimitOf(pathname);
  if (method !== "GET" && method !== "HEAD" && isTooLarge(headers, limit))
    return { status: 413, message: `Request bodies are limited to ${limit / 1024 / 1024} MB.` };
  if (!isActionPost(method, pathname, headers)) return null;
  if (isCrossSite(headers)) return { status: 403, message: "Form posts from another site are refused." };
  const floor = actionFloor(pathname);
  if (floor === "public" || role === null || hasRole(role, floor)) return null;
  return { status: 403, message: `This action requires the ${floor} role.` };
}
