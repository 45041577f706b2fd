/**
 * The scope of a dashboard view, as it appears in every URL and the API: `?target=<name>&namespace=…&team=…`.
 * A target is named, never by id, so a link reads the same on every page.
 */
export interface FleetFilter {
  /** Target name, exact. */
  target?: string;
  namespace?: string;
  /** The workload's `team` label, else its namespace's. */
  team?: string;
}

export type SearchParams = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === "" ? undefined : text.slice(0, 253);
}

/** The scope of `?target=…&namespace=…&team=…`; the first of repeated values, empty ones dropped. */
export function parseFleetFilter(params: SearchParams): FleetFilter {
  const target = single(params.target);
  const namespace = single(params.namespace);
  const team = single(params.team);
  return {
    ...(target ? { target } : {}),
    ...(namespace ? { namespace } : {}),
    ...(team ? { team } : {}),
  };
}

export function isUnscoped(filter: FleetFilter): boolean {
  return !filter.target && filter.namespace === undefined && !filter.team;
}

/** `path?target=…&namespace=…&team=…` plus any other parameters the page keeps, so a scoped view is a link. */
export function fleetHref(path: string, scope: FleetFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  const values = { target: scope.target, namespace: scope.namespace, team: scope.team, ...extra };
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A target's own page: by name, as everywhere else (`/targets/<id>` still answers, redirecting here). */
export function targetHref(name: string): string {
  return `/targets/${encodeURIComponent(name)}`;
}
