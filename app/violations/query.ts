import { z } from "zod";
import type { ViolationQuery } from "@/components/findings/violation-filters";
import { FINDING_STATUSES, PAGE_SIZES, VIOLATION_GROUPS, VIOLATION_SORTS } from "@/lib/data/violations";
import { SEVERITIES } from "@/lib/domain/severity";
import { visibleText } from "@/lib/format/visible-text";
import { paramsWithControlCharacters, plainText } from "@/lib/validation/plain-text";

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(first, schema.optional().catch(undefined));
const text = (max: number) =>
  optional(
    plainText()
      .trim()
      .max(max)
      .transform((v) => v || undefined),
  );

const violationQuerySchema = z.object({
  severity: optional(z.enum(SEVERITIES)),
  check: optional(z.string().regex(/^[a-z0-9-]{1,80}$/)),
  status: optional(z.enum(FINDING_STATUSES)),
  target: text(200),
  namespace: optional(plainText().max(253)),
  workload: text(253),
  image: text(500),
  label: text(400),
  sort: optional(z.enum(VIOLATION_SORTS)),
  dir: optional(z.enum(["asc", "desc"])),
  group: optional(z.enum(VIOLATION_GROUPS)),
  page: optional(z.coerce.number().int().min(1).max(100_000)),
  size: optional(z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))),
});

/** Unknown or malformed query values are dropped rather than rejected: a stale link still shows a page. */
export function parseViolationQuery(params: Record<string, string | string[] | undefined>): ViolationQuery {
  const parsed = violationQuerySchema.parse(params);
  const { check, namespace, size, ...rest } = parsed;
  return { ...rest, checkId: check, pageSize: size, namespace: namespace === "" ? undefined : namespace };
}

/**
 * A filter holding control characters (NUL) is refused, not dropped: the page and the CSV export say which
 * parameters to fix. Null when the query is clean.
 */
export function describeRejectedQuery(params: Record<string, string | string[] | undefined>): string | null {
  const names = paramsWithControlCharacters(params).map((name) => `"${visibleText(name)}"`);
  if (names.length === 0) return null;
  const list = names.length === 1 ? `filter ${names[0]} holds` : `filters ${names.join(", ")} hold`;
  return `The ${list} control characters (such as NUL), which no stored name contains. Remove them and try again.`;
}
