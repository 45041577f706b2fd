import Link from "next/link";
import {
  FINDING_STATUSES,
  TARGET_PLATFORMS,
  PAGE_SIZES,
  VIOLATIONS_PAGE_SIZE,
  violationsHref,
  type ViolationQuery,
} from "@/lib/scope/violation-query";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

function FilterLink({ href, isActive, children }: { href: string; isActive: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={isActive ? "page" : undefined}
      className={cn(
        "rounded-md border px-2.5 py-1 text-xs",
        isActive
          ? "border-slate-900 bg-slate-900 text-white"
          : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100",
      )}
    >
      {children}
    </Link>
  );
}

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900";
const LABEL = "block text-xs font-medium text-slate-700";

function Select(props: { name: string; label: string; value?: string; options: { value: string; label: string }[] }) {
  return (
    <label className={LABEL}>
      {props.label}
      <select name={props.name} aria-label={props.label} defaultValue={props.value ?? ""} className={FIELD}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function TextField(props: { name: string; label: string; value?: string; placeholder?: string; type?: "date" }) {
  return (
    <label className={LABEL}>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? "text"}
        aria-label={props.label}
        defaultValue={props.value ?? ""}
        placeholder={props.placeholder}
        className={FIELD}
      />
    </label>
  );
}

export interface ViolationFilterChoices {
  checks: { id: string; title: string }[];
  targets: string[];
  namespaces: string[];
  teams: string[];
}

export function ViolationFilters(props: {
  query: ViolationQuery;
  bySeverity: Record<Severity, number>;
  choices: ViolationFilterChoices;
}) {
  const { query, bySeverity, choices } = props;
  const any = { value: "", label: "any" };
  return (
    <section aria-label="Filters" className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <nav aria-label="Severity" className="flex flex-wrap items-center gap-2">
        <span className="w-16 text-xs font-medium text-slate-600">Severity</span>
        <FilterLink href={violationsHref({ ...query, severity: undefined, page: 1 })} isActive={!query.severity}>
          all
        </FilterLink>
        {SEVERITIES.map((severity) => (
          <FilterLink
            key={severity}
            href={violationsHref({ ...query, severity, page: 1 })}
            isActive={query.severity === severity}
          >
            {severity} ({bySeverity[severity]})
          </FilterLink>
        ))}
      </nav>
      <form
        action="/violations"
        method="get"
        aria-label="Violation filters"
        className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3"
      >
        {query.severity ? <input type="hidden" name="severity" value={query.severity} /> : null}
        {query.sort ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <Select
          name="check"
          label="Check"
          value={query.checkId}
          options={[any, ...choices.checks.map((c) => ({ value: c.id, label: c.id }))]}
        />
        <Select
          name="status"
          label="Status"
          value={query.status ?? "open"}
          options={FINDING_STATUSES.map((s) => ({ value: s, label: s }))}
        />
        <Select
          name="target"
          label="Target"
          value={query.target}
          options={[any, ...choices.targets.map((t) => ({ value: t, label: t }))]}
        />
        <Select
          name="platform"
          label="Platform"
          value={query.platform}
          options={[any, ...TARGET_PLATFORMS.map((p) => ({ value: p, label: p }))]}
        />
        <Select
          name="namespace"
          label="Namespace"
          value={query.namespace}
          options={[any, ...choices.namespaces.map((n) => ({ value: n, label: n }))]}
        />
        <Select
          name="team"
          label="Team"
          value={query.team}
          options={[any, ...choices.teams.map((t) => ({ value: t, label: t }))]}
        />
        <TextField name="since" label="First seen since" value={query.since?.slice(0, 10)} type="date" />
        <TextField name="workload" label="Workload" value={query.workload} placeholder="name contains" />
        <TextField name="image" label="Image" value={query.image} placeholder="reference contains" />
        <TextField name="label" label="Label" value={query.label} placeholder="team=storefront" />
        <Select
          name="group"
          label="Group by"
          value={query.group}
          options={[
            { value: "", label: "nothing" },
            { value: "workload", label: "workload" },
            { value: "check", label: "check" },
          ]}
        />
        <Select
          name="size"
          label="Per page"
          value={String(query.pageSize ?? VIOLATIONS_PAGE_SIZE)}
          options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
        />
        <div className="col-span-full flex items-end gap-2">
          <Button type="submit" size="sm">
            Apply filters
          </Button>
          <Link
            href="/violations"
            className="rounded-md px-2 py-1 text-xs text-slate-700 underline hover:text-slate-900"
          >
            Clear all
          </Link>
        </div>
      </form>
    </section>
  );
}
