import { z } from "zod";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { visibleText } from "@/lib/format/visible-text";
import { paramsWithControlCharacters, plainText } from "@/lib/validation/plain-text";

/**
 * The one format of a violations query: the page, its filters and links, the CSV export and the API all read
 * and write it here (URL names, schema, default sort).
 */
export const VIOLATIONS_PAGE_SIZE = 50;
export const PAGE_SIZES = [5, 10, 25, 50, 100, 200] as const;
export const FINDING_STATUSES = ["open", "excepted", "resolved"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const VIOLATION_SORTS = ["severity", "check", "target", "workload", "first-seen", "last-seen"] as const;
export type ViolationSort = (typeof VIOLATION_SORTS)[number];
export const VIOLATION_GROUPS = ["workload", "check"] as const;
export type ViolationGroupBy = (typeof VIOLATION_GROUPS)[number];
export type SortDirection = "asc" | "desc";
/** The kinds of target a violation can come from (a framework view links to one kind). */
export const TARGET_PLATFORMS = ["docker", "kubernetes"] as const;
export type TargetPlatform = (typeof TARGET_PLATFORMS)[number];
export const DEFAULT_SORT: ViolationSort = "severity";

/** Times sort newest first unless asked; severity ascends by rank (most severe first). */
export function defaultDirection(sort: ViolationSort): SortDirection {
  return sort === "first-seen" || sort === "last-seen" ? "desc" : "asc";
}

export interface ViolationFilter {
  severity?: Severity;
  checkId?: string;
  /** Open when unset. */
  status?: FindingStatus;
  /** Target name, exact. */
  target?: string;
  /** Docker hosts or Kubernetes clusters only. */
  platform?: TargetPlatform;
  namespace?: string;
  /** The workload's `team` label, else its namespace's. */
  team?: string;
  /** First seen at or after this instant (ISO). */
  since?: string;
  /** Part of the workload name, case-insensitive. */
  workload?: string;
  /** Part of the image reference, case-insensitive. */
  image?: string;
  /** `key=value` (or `key`) on the workload's labels or its namespace's labels. */
  label?: string;
  sort?: ViolationSort;
  dir?: SortDirection;
  group?: ViolationGroupBy;
  /** 1-based. */
  page: number;
  pageSize?: number;
}

export type ViolationQuery = Omit<ViolationFilter, "page"> & { page?: number };

const text = (max: number) =>
  plainText()
    .trim()
    .max(max)
    .transform((v) => v || undefined);

/** `2026-12-01` (midnight UTC) or a full ISO time, as an ISO instant. */
const sinceSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, "a date (YYYY-MM-DD) or an ISO time")
  .transform((value, ctx) => {
    const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a real date" });
      return z.NEVER;
    }
    return date.toISOString();
  });

/** URL parameter name → schema and the filter field it fills. */
const FIELDS = {
  severity: [z.enum(SEVERITIES), "severity"],
  check: [z.string().regex(/^[a-z0-9-]{1,80}$/, "a check id"), "checkId"],
  status: [z.enum(FINDING_STATUSES), "status"],
  target: [text(200), "target"],
  platform: [z.enum(TARGET_PLATFORMS), "platform"],
  namespace: [plainText().max(253), "namespace"],
  team: [text(200), "team"],
  since: [sinceSchema, "since"],
  workload: [text(253), "workload"],
  image: [text(500), "image"],
  label: [text(400), "label"],
  group: [z.enum(VIOLATION_GROUPS), "group"],
  sort: [z.enum(VIOLATION_SORTS), "sort"],
  dir: [z.enum(["asc", "desc"]), "dir"],
  size: [z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)))), "pageSize"],
  page: [z.coerce.number().int().min(1).max(100_000), "page"],
} as const satisfies Record<string, [z.ZodType, keyof ViolationQuery]>;

type Param = keyof typeof FIELDS;
const PARAMS = Object.keys(FIELDS) as Param[];

function toQuery(parsed: Partial<Record<Param, unknown>>): ViolationQuery {
  const query: Record<string, unknown> = {};
  for (const name of PARAMS) {
    const value = parsed[name];
    if (value !== undefined && !(name === "namespace" && value === "")) query[FIELDS[name][1]] = value;
  }
  return query as ViolationQuery;
}

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const lenientSchema = z.object(
  Object.fromEntries(
    PARAMS.map((name) => [name, z.preprocess(first, (FIELDS[name][0] as z.ZodType).optional().catch(undefined))]),
  ),
);

/** Unknown or malformed query values are dropped rather than rejected: a stale link still shows a page. */
export function parseViolationQuery(params: Record<string, string | string[] | undefined>): ViolationQuery {
  return toQuery(lenientSchema.parse(params) as Partial<Record<Param, unknown>>);
}

const strictSchema = z.strictObject(
  Object.fromEntries(PARAMS.map((name) => [name, (FIELDS[name][0] as z.ZodType).optional()])),
);

/** The API's reading: strict, so a script hears about a typo instead of getting everything. */
export function parseViolationQueryStrict(
  params: Record<string, string>,
): { success: true; query: ViolationQuery } | { success: false; error: z.ZodError } {
  const parsed = strictSchema.safeParse(params);
  return parsed.success
    ? { success: true, query: toQuery(parsed.data as Partial<Record<Param, unknown>>) }
    : { success: false, error: parsed.error };
}

/** The query string of a query, shared by the page links, the filters and the CSV export. */
export function violationsSearch(query: ViolationQuery): string {
  const params = new URLSearchParams();
  for (const name of PARAMS) {
    const value = query[FIELDS[name][1]];
    if (value === undefined || value === "" || (name === "page" && value === 1)) continue;
    params.set(name, String(value));
  }
  return params.toString();
}

/** `/violations?…`, so that filters, pages and every count that links here agree on one format. */
export function violationsHref(query: ViolationQuery): string {
  const text = violationsSearch(query);
  return text ? `/violations?${text}` : "/violations";
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
