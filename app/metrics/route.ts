import { requireApiRole } from "@/lib/auth/session";
import { renderMetrics } from "@/lib/data/metrics";
import { CONTENT_TYPE } from "@/lib/metrics/exposition";

/** Prometheus scrape endpoint: an API token (any role) as a bearer token, like the rest of the API. */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  return new Response(await renderMetrics(), {
    headers: { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" },
  });
}
