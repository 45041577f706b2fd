import { paramsWithControlCharacters } from "@/lib/validation/plain-text";
import { parseFleetFilter, type FleetFilter, type SearchParams } from "./fleet-scope";

export interface AuditQuery {
  scope: FleetFilter;
  /** YYYY-MM-DD (UTC), today unless asked. */
  date: string;
  /** The previous report's day, when chosen (else the report takes 30 days before `date`). */
  previous?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FIRST_DAY = "2000-01-01";

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === "" ? undefined : text;
}

/** A real calendar day (2026-02-31 is not), as YYYY-MM-DD. */
function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * `/reports/audit?target=…&namespace=…&team=…&date=YYYY-MM-DD&since=YYYY-MM-DD`. A report is a document: a wrong
 * date is refused with a message naming the parameter, never silently replaced.
 */
export function parseAuditQuery(params: SearchParams, now: Date): { query: AuditQuery } | { error: string } {
  const dirty = paramsWithControlCharacters(params);
  if (dirty.length > 0) return { error: `"${dirty.join('", "')}" must not contain control characters such as NUL.` };
  const today = now.toISOString().slice(0, 10);
  const date = single(params.date) ?? today;
  if (!isDay(date)) return { error: `"date" must be a day written YYYY-MM-DD (got "${date.slice(0, 40)}").` };
  if (date > today) return { error: `"date" is after today (${today}): a report covers what was stored.` };
  if (date < FIRST_DAY) return { error: `"date" must be ${FIRST_DAY} or later.` };
  const previous = single(params.since);
  if (previous !== undefined) {
    if (!isDay(previous))
      return { error: `"since" must be a day written YYYY-MM-DD (got "${previous.slice(0, 40)}").` };
    if (previous >= date) return { error: `"since" (${previous}) must be before "date" (${date}).` };
    if (previous < FIRST_DAY) return { error: `"since" must be ${FIRST_DAY} or later.` };
  }
  return { query: { scope: parseFleetFilter(params), date, ...(previous ? { previous } : {}) } };
}
