import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import type { FilterOptions } from "@/lib/data/overview";
import { fleetHref, type FleetFilter } from "@/lib/scope/fleet-scope";

/** A GET form: the filters live in the URL and work without JavaScript. */
export function FleetFilters({
  path,
  values,
  options,
  extra,
  children,
}: {
  path: string;
  values: FleetFilter;
  options: FilterOptions;
  /** Other query parameters the page keeps (e.g. the trend range). */
  extra?: Record<string, string>;
  /** More fields of the same form (e.g. the report's dates), before Apply. */
  children?: ReactNode;
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
        options={options.targets.map((name) => ({ value: name, label: name }))}
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
      <Select
        name="team"
        label="Team"
        emptyLabel="All teams"
        defaultValue={values.team ?? ""}
        options={options.teams.map((team) => ({ value: team, label: team }))}
        className="w-36"
      />
      {children}
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      {isFiltered ? (
        <Link href={fleetHref(path, {}, extra)} className="pb-2 text-sm text-slate-600 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
