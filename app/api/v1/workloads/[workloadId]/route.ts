import { requireApiRole } from "@/lib/auth/session";
import { getWorkload } from "@/lib/data/workloads";
import { ok } from "../../respond";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = { status: 404, headers: { "Cache-Control": "no-store" } };

/** One workload with every check of its current containers and its combined fix (`remediation`). */
export async function GET(request: Request, context: { params: Promise<{ workloadId: string }> }): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  const { workloadId } = await context.params;
  const workload = UUID.test(workloadId) ? await getWorkload(workloadId, auth.access) : null;
  if (!workload) return Response.json({ error: "no such workload" }, NOT_FOUND);
  return ok({ workload });
}
