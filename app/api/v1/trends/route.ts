import { z } from "zod";
import { requireApiRole } from "@/lib/auth/session";
import { listApiTrends } from "@/lib/data/api-trends";
import { badRequest, ok, queryOf } from "../respond";

const trendQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
  target: z.string().min(1).max(200).optional(),
  namespace: z.string().max(253).optional(),
  team: z.string().min(1).max(200).optional(),
  check: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, "a check id")
    .optional(),
});

export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  const query = trendQuerySchema.safeParse(queryOf(request));
  if (!query.success) return badRequest(query.error);
  const points = await listApiTrends({ ...query.data, access: auth.access });
  return ok({ days: query.data.days, points });
}
