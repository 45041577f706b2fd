import type { Metadata } from "next";
import { connection } from "next/server";
import { requireRole } from "@/lib/auth/session";
import { ViolationFilters, violationsHref, type ViolationQuery } from "@/components/findings/violation-filters";
import { ViolationsTable } from "@/components/findings/violations-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { listViolations } from "@/lib/data/violations";
import { parseViolationQuery } from "./query";

export const metadata: Metadata = { title: "Violations" };

export default async function ViolationsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole("viewer");
  await connection();
  const query = parseViolationQuery(await props.searchParams);
  const result = await listViolations({ severity: query.severity, checkId: query.checkId, page: query.page ?? 1 });
  const current: ViolationQuery = { ...query, page: result.page };
  return (
    <>
      <PageHeader
        title="Violations"
        description={`${result.total} open finding${result.total === 1 ? "" : "s"}, most severe and newest first.`}
      />
      <ViolationFilters query={current} bySeverity={result.bySeverity} checkIds={result.checkIds} />
      {result.rows.length === 0 ? (
        <EmptyState title="No open findings">
          Nothing matches these filters. Findings appear here after a target has been polled.
        </EmptyState>
      ) : (
        <ViolationsTable rows={result.rows} />
      )}
      <Pagination
        page={result.page}
        pageCount={result.pageCount}
        hrefFor={(page) => violationsHref({ ...current, page })}
      />
    </>
  );
}
