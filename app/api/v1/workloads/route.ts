import { z } from "zod";
import { requireApiRole } from "@/lib/auth/session";
import { API_PAGE_SIZE, listApiWorkloads } from "@/lib/data/api-workloads";
import { badRequest, ok, queryOf } from "../respond";

const workloadQuerySchema = z.strictObject({
  target: z.string().min(1).max(200).optional(),
  namespace: z
    .string()
    .max(253)
    .regex(/^[a-z0-9-]*$/, "a Kubernetes namespace name")
    .optional(),
  kind: z
    .string()
    .max(63)
    .regex(/^[A-Za-z]+$/, "letters only")
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export async function GET(request: Request): Promise<Response> {
  const auth = await requireApiRole(request, "viewer");
  if (auth instanceof Response) return auth;
  const query = workloadQuerySchema.safeParse(queryOf(request));
  if (!query.success) return badRequest(query.error);
  const { rows, total } = await listApiWorkloads({ ...query.data, access: auth.access });
  return ok({ workloads: rows, total, page: query.data.page, pageSize: API_PAGE_SIZE });
}
