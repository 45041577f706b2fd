import { z } from "zod";
import { SEVERITIES } from "@/lib/domain/severity";
import type { ViolationQuery } from "@/components/findings/violation-filters";

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

const violationQuerySchema = z.object({
  severity: z.preprocess(first, z.enum(SEVERITIES).optional().catch(undefined)),
  check: z.preprocess(
    first,
    z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/)
      .optional()
      .catch(undefined),
  ),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).optional().catch(undefined)),
});

/** Unknown or malformed query values are dropped rather than rejected: a stale link still shows a page. */
export function parseViolationQuery(params: Record<string, string | string[] | undefined>): ViolationQuery {
  const parsed = violationQuerySchema.parse(params);
  return { severity: parsed.severity, checkId: parsed.check, page: parsed.page };
}
