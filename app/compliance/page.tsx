import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ComplianceMatrixTable, type MatrixSort } from "@/components/compliance/compliance-matrix-table";
import { ComplianceTabs } from "@/components/compliance/compliance-tabs";
import { ScoreFormulas } from "@/components/checks/score-formulas";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { getComplianceMatrix, MATRIX_AXES, MATRIX_CHANGE_DAYS, type MatrixAxis } from "@/lib/data/compliance-matrix";
import type { Access } from "@/lib/scope/access-scope";
import type { SearchParams } from "@/lib/scope/fleet-scope";

export const metadata: Metadata = { title: "Compliance" };

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function matrixHref(by: MatrixAxis, sort?: MatrixSort): string {
  const params = new URLSearchParams({ by });
  if (sort?.column) params.set("sort", sort.column);
  if (sort?.column && sort.dir === "desc") params.set("dir", "desc");
  return `/compliance?${params.toString()}`;
}

/** `?by=target|team|namespace&sort=<column>&dir=asc|desc`; anything else falls back to targets, catalog order. */
export default async function CompliancePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("viewer");
  const params = await searchParams;
  const byParam = single(params.by);
  const by = (MATRIX_AXES as readonly string[]).includes(byParam ?? "") ? (byParam as MatrixAxis) : "target";
  const column = single(params.sort)?.slice(0, 253);
  const sort: MatrixSort = { ...(column ? { column } : {}), dir: single(params.dir) === "desc" ? "desc" : "asc" };
  return (
    <>
      <PageHeader
        title="Compliance"
        description={`Each cell: containers passing ÷ containers judged, now, and the change over ${MATRIX_CHANGE_DAYS} days.`}
      >
        {hasRole(user.role, "engineer") ? (
          <a
            href={`/api/export/compliance?by=${by}`}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100"
            download
          >
            Export CSV
          </a>
        ) : null}
      </PageHeader>
      <ComplianceTabs current="matrix" />
      <nav aria-label="Columns" className="mb-4 flex flex-wrap gap-1">
        {MATRIX_AXES.map((axis) => (
          <Link
            key={axis}
            href={matrixHref(axis)}
            aria-current={axis === by ? "page" : undefined}
            className={cn(
              "rounded-md border px-3 py-1 text-sm",
              axis === by ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white hover:bg-slate-100",
            )}
          >
            by {axis}
          </Link>
        ))}
      </nav>
      <Suspense key={by} fallback={<PanelSkeleton label="Loading the compliance matrix" className="h-96" />}>
        <MatrixPanel by={by} sort={sort} access={user.access} />
      </Suspense>
    </>
  );
}

async function MatrixPanel({ by, sort, access }: { by: MatrixAxis; sort: MatrixSort; access: Access }) {
  const matrix = await getComplianceMatrix(by, access);
  if (matrix.rows.length === 0)
    return (
      <EmptyState title="Nothing judged yet">
        <p>The matrix fills in once targets are polled{by === "target" ? "" : ` and their workloads carry a ${by}`}.</p>
      </EmptyState>
    );
  return (
    <div className="space-y-6">
      <ComplianceMatrixTable
        matrix={matrix}
        sort={sort}
        sortHref={(column, dir) => matrixHref(by, { column, dir })}
        days={MATRIX_CHANGE_DAYS}
      />
      <Card title="How these numbers are computed">
        <ScoreFormulas withTrend />
      </Card>
    </div>
  );
}
