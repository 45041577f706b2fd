import { requireApiRole } from "@/lib/auth/session";
import { listTargets } from "@/lib/data/targets";
import { ok } from "../respond";

export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  return ok({ targets: await listTargets({ access: auth.access }) });
}
