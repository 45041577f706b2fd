import type { Metadata } from "next";
import { Suspense } from "react";
import { FleetFilters } from "@/components/overview/fleet-filters";
import { AuditReportView } from "@/components/reports/audit-report";
import { PrintButton } from "@/components/reports/print-button";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { exactTime } from "@/components/ui/time";
import { requireRole } from "@/lib/auth/session";
import { getAuditReport } from "@/lib/data/audit-report";
import type { ScopedFilter } from "@/lib/data/scope";
import { getFilterOptions } from "@/lib/data/overview";
import { parseAuditQuery, type AuditQuery } from "@/lib/scope/audit-query";
import { isUnscoped, type FleetFilter, type SearchParams } from "@/lib/scope/fleet-scope";

/** The document's title names its scope and day: the browser puts it on the tab and in the saved PDF. */
export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const parsed = parseAuditQuery(await searchParams, new Date());
  if (!("query" in parsed)) return { title: "Auditor report" };
  return { title: `Auditor report: ${scopeTitle(parsed.query.scope)} on ${parsed.query.date}` };
}

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";

/** "Whole fleet", or the scope's parts in words: the report's title says what it covers. */
function scopeTitle(scope: FleetFilter): string {
  if (isUnscoped(scope)) return "Whole fleet";
  return [
    scope.target ? `target ${scope.target}` : null,
    scope.namespace !== undefined ? `namespace ${scope.namespace}` : null,
    scope.team ? `team ${scope.team}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

/** `/reports/audit?target=…&namespace=…&team=…&date=YYYY-MM-DD&since=YYYY-MM-DD`: a printable report for auditors. */
export default async function AuditReportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("viewer");
  const now = new Date();
  const parsed = parseAuditQuery(await searchParams, now);
  const options = await getFilterOptions(user.access);
  const query = "query" in parsed ? parsed.query : undefined;
  return (
    <div data-print-document>
      <header className="mb-4 flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Rampart auditor report</p>
          <h1 className="text-2xl font-semibold text-slate-900" data-testid="report-title">
            {query ? `${scopeTitle(query.scope)} on ${query.date}` : "Auditor report"}
          </h1>
          <p className="mt-1 text-sm text-slate-600">Generated {exactTime(now.toISOString())}.</p>
        </div>
        <PrintButton />
      </header>
      <div className="mb-6 print:hidden">
        <FleetFilters path="/reports/audit" values={query?.scope ?? {}} options={options}>
          <label className="block w-40 text-sm">
            <span className="font-medium text-slate-700">Date</span>
            <input
              type="date"
              name="date"
              defaultValue={query?.date}
              max={now.toISOString().slice(0, 10)}
              className={FIELD}
            />
          </label>
          <label className="block w-40 text-sm">
            <span className="font-medium text-slate-700">Previous report</span>
            <input type="date" name="since" defaultValue={query?.previous} className={FIELD} />
          </label>
        </FleetFilters>
      </div>
      {"error" in parsed ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {parsed.error}
        </p>
      ) : (
        <Suspense
          key={JSON.stringify(parsed.query)}
          fallback={<PanelSkeleton label="Computing the report" className="h-96" />}
        >
          <ReportPanel query={{ ...parsed.query, scope: { ...parsed.query.scope, access: user.access } }} now={now} />
        </Suspense>
      )}
    </div>
  );
}

async function ReportPanel({ query, now }: { query: AuditQuery & { scope: ScopedFilter }; now: Date }) {
  const report = await getAuditReport({ ...query, now });
  return <AuditReportView report={report} />;
}
