import type { Metadata } from "next";
import type { Access } from "@/lib/scope/access-scope";
import { Suspense } from "react";
import { AcceptRiskForm } from "@/components/findings/accept-risk-form";
import { ViolationFilters } from "@/components/findings/violation-filters";
import { ViolationsTable } from "@/components/findings/violations-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { hasRole, requireRole, type Role } from "@/lib/auth/session";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { getFilterOptions } from "@/lib/data/overview";
import {
  describeRejectedQuery,
  parseViolationQuery,
  violationsHref,
  violationsSearch,
  type ViolationQuery,
} from "@/lib/scope/violation-query";
import { listViolations } from "@/lib/data/violations";
import { acceptRisk } from "./actions";

export const metadata: Metadata = { title: "Violations" };

function describe(total: number, status: string, page: number, pageCount: number): string {
  const base = `${total} ${status} finding${total === 1 ? "" : "s"}`;
  return pageCount > 1 ? `${base}, page ${page} of ${pageCount}.` : `${base}.`;
}

/** The role is checked and the filter read before anything streams; the table streams behind a skeleton. */
export default async function ViolationsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole("viewer");
  const params = await props.searchParams;
  const rejected = describeRejectedQuery(params);
  if (rejected) {
    return (
      <>
        <PageHeader title="Violations" description="This filter was refused." />
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          {rejected}{" "}
          <a href="/violations" className="underline">
            Show all open findings
          </a>
          .
        </div>
      </>
    );
  }
  return (
    <Suspense fallback={<ListSkeleton label="Loading violations" />}>
      <Violations query={parseViolationQuery(params)} role={user.role} access={user.access} />
    </Suspense>
  );
}

async function Violations({ query, role, access }: { query: ViolationQuery; role: Role; access: Access }) {
  const [result, options] = await Promise.all([
    listViolations({ ...query, page: query.page ?? 1, access }),
    getFilterOptions(access),
  ]);
  const current: ViolationQuery = { ...query, page: result.page };
  const canExport = hasRole(role, "engineer");
  const canSelect = hasRole(role, "security") && (query.status ?? "open") === "open";
  const exportSearch = violationsSearch({ ...current, page: undefined });
  return (
    <>
      <PageHeader
        title="Violations"
        description={describe(result.total, query.status ?? "open", result.page, result.pageCount)}
      >
        <div className="flex items-center gap-3">
          {canSelect && result.rows.length > 0 ? <AcceptRiskForm action={acceptRisk} /> : null}
          {canExport ? (
            <a
              href={`/api/export/violations${exportSearch ? `?${exportSearch}` : ""}`}
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100"
              download
            >
              Export CSV
            </a>
          ) : null}
        </div>
      </PageHeader>
      <ViolationFilters
        query={current}
        bySeverity={result.bySeverity}
        choices={{ checks: CHECK_CATALOG.map((c) => ({ id: c.id, title: c.title })), ...options }}
      />
      {result.rows.length === 0 ? (
        <EmptyState title={`No ${query.status ?? "open"} findings`}>
          {result.total === 0 && Object.values(result.bySeverity).every((n) => n === 0) && !query.checkId
            ? "Nothing matches these filters. Findings appear here after a target has been polled: add one under Targets."
            : "Nothing matches these filters. Clear a filter or pick another severity."}
        </EmptyState>
      ) : (
        <ViolationsTable rows={result.rows} groups={result.groups} query={current} canSelect={canSelect} />
      )}
      <Pagination
        page={result.page}
        pageCount={result.pageCount}
        hrefFor={(page) => violationsHref({ ...current, page })}
      />
    </>
  );
}
