import { requireApiRole } from "@/lib/auth/session";
import { OPENAPI } from "../openapi";
import { ok } from "../respond";

export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  return ok(OPENAPI);
}
