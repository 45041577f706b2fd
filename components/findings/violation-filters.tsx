import Link from "next/link";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import { cn } from "@/components/ui/cn";

export interface ViolationQuery {
  severity?: Severity;
  checkId?: string;
  page?: number;
}

/** Builds `/violations?…` so that filters, pages and links agree on one format. */
export function violationsHref(query: ViolationQuery): string {
  const params = new URLSearchParams();
  if (query.severity) params.set("severity", query.severity);
  if (query.checkId) params.set("check", query.checkId);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `/violations?${text}` : "/violations";
}

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

export function ViolationFilters(props: {
  query: ViolationQuery;
  bySeverity: Record<Severity, number>;
  checkIds: string[];
}) {
  const { query, bySeverity, checkIds } = props;
  return (
    <nav aria-label="Filters" className="mb-4 space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-16 text-xs font-medium text-slate-500">Severity</span>
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
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-16 text-xs font-medium text-slate-500">Check</span>
        <FilterLink href={violationsHref({ ...query, checkId: undefined, page: 1 })} isActive={!query.checkId}>
          all
        </FilterLink>
        {checkIds.map((checkId) => (
          <FilterLink
            key={checkId}
            href={violationsHref({ ...query, checkId, page: 1 })}
            isActive={query.checkId === checkId}
          >
            {checkId}
          </FilterLink>
        ))}
      </div>
    </nav>
  );
}
