import { getDb } from "@/lib/db";
import { createLogger } from "@/lib/log";
import { checkReadiness } from "@/lib/services/health/readiness";

const log = createLogger("web");

/** Readiness: the database answers and its migrations are applied; 503 otherwise, in fixed words only. */
export async function GET(request: Request): Promise<Response> {
  const { error, ...readiness } = await checkReadiness(getDb());
  if (error) log.error(`readyz: database unreachable: ${error}`, { requestId: request.headers.get("x-request-id") });
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
