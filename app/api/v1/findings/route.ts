import { z } from "zod";
import { requireApiRole } from "@/lib/auth/session";
import { listViolations, VIOLATIONS_PAGE_SIZE } from "@/lib/data/violations";
import { SEVERITIES } from "@/lib/domain/severity";
import { badRequest, ok, queryOf } from "../respond";

/** The violations page's filters, strict: a script should hear about a typo instead of getting everything. */
const findingQuerySchema = z.strictObject({
  severity: z.enum(SEVERITIES).optional(),
  check: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, "a check id")
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  const query = findingQuerySchema.safeParse(queryOf(request));
  if (!query.success) return badRequest(query.error);
  const page = await listViolations({
    severity: query.data.severity,
    checkId: query.data.check,
    page: query.data.page,
  });
  return ok({
    findings: page.rows,
    total: page.total,
    page: page.page,
    pageCount: page.pageCount,
    pageSize: VIOLATIONS_PAGE_SIZE,
    bySeverity: page.bySeverity,
  });
}
