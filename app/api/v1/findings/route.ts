import { requireApiRole } from "@/lib/auth/session";
import { parseViolationQueryStrict } from "@/lib/scope/violation-query";
import { listViolations } from "@/lib/data/violations";
import { badRequest, ok, queryOf } from "../respond";

/** The violations page's query format, read strictly: a script should hear about a typo instead of getting everything. */
export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  const parsed = parseViolationQueryStrict(queryOf(request));
  if (!parsed.success) return badRequest(parsed.error);
  const page = await listViolations({ ...parsed.query, page: parsed.query.page ?? 1, access: auth.access });
  return ok({
    findings: page.rows,
    total: page.total,
    page: page.page,
    pageCount: page.pageCount,
    pageSize: page.pageSize,
    bySeverity: page.bySeverity,
  });
}
