import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

export interface FleetFilterValues {
  target?: string;
  namespace?: string;
  team?: string;
}

export interface FleetFilterOptions {
  targets: { id: string; name: string }[];
  namespaces: string[];
  teams: string[];
}

/** `path?target=…&namespace=…&team=…`, so a filtered view is a link that can be shared. */
export function fleetHref(path: string, values: FleetFilterValues & Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A GET form: the filters live in the URL and work without JavaScript. */
export function FleetFilters({
  path,
  values,
  options,
  extra,
  showTeam = true,
}: {
  path: string;
  /** Trends come from rollups, which keep namespaces but not labels. */
  showTeam?: boolean;
  values: FleetFilterValues;
  options: FleetFilterOptions;
  /** Other query parameters the page keeps (e.g. the trend range). */
  extra?: Record<string, string>;
}) {
  const isFiltered = Boolean(values.target || values.namespace || values.team);
  return (
    <form method="get" action={path} aria-label="Filters" className="flex flex-wrap items-end gap-3">
      {Object.entries(extra ?? {}).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <Select
        name="target"
        label="Target"
        emptyLabel="All targets"
        defaultValue={values.target ?? ""}
        options={options.targets.map((t) => ({ value: t.id, label: t.name }))}
        className="w-48"
      />
      <Select
        name="namespace"
        label="Namespace"
        emptyLabel="All namespaces"
        defaultValue={values.namespace ?? ""}
        options={options.namespaces.map((ns) => ({ value: ns, label: ns }))}
        className="w-44"
      />
      {showTeam ? (
        <Select
          name="team"
          label="Team"
          emptyLabel="All teams"
          defaultValue={values.team ?? ""}
          options={options.teams.map((team) => ({ value: team, label: team }))}
          className="w-36"
        />
      ) : null}
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      {isFiltered ? (
        <Link href={fleetHref(path, extra ?? {})} className="pb-2 text-sm text-slate-600 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
