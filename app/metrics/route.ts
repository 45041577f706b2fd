import { requireApiRole } from "@/lib/auth/session";
import { renderMetrics } from "@/lib/data/metrics";
import { CONTENT_TYPE } from "@/lib/metrics/exposition";
import { isWholeFleet } from "@/lib/scope/access-scope";

/**
 * Prometheus scrape endpoint: an API token (any role) as a bearer token, like the rest of the API. It is an
 * operator's view (collector timings, every target's state), so a caller limited to part of the fleet is refused.
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  if (!isWholeFleet(auth.access))
    return Response.json(
      { error: "/metrics covers the whole fleet: use a token whose user and token see the whole fleet" },
      { status: 403 },
    );
  return new Response(await renderMetrics(), {
    headers: { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" },
  });
}
