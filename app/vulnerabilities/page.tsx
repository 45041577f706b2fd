import type { Metadata } from "next";
import { Suspense } from "react";
import { ReportUploadForm } from "@/components/vulnerabilities/report-upload-form";
import { VulnerabilitiesTable } from "@/components/vulnerabilities/vulnerabilities-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getFilterOptions } from "@/lib/data/overview";
import {
  listFleetVulnerabilities,
  parseVulnerabilityQuery,
  vulnerabilitiesHref,
  type VulnerabilityQuery,
} from "@/lib/data/vulnerabilities";
import { MAX_BODY_BYTES } from "@/lib/http/post-guard";
import { REPORT_SEVERITIES } from "@/lib/reports/model";
import { uploadReports } from "./actions";

export const metadata: Metadata = { title: "Vulnerabilities" };

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900";
const LABEL = "block text-xs font-medium text-slate-700";

/** The role is checked and the filters read before anything streams; the list streams behind a skeleton. */
export default async function VulnerabilitiesPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole("viewer");
  const query = parseVulnerabilityQuery(await props.searchParams);
  return (
    <>
      <PageHeader
        title="Vulnerabilities"
        description="What scanner reports find in the images running now, known-exploited first, then by reach."
      />
      {hasRole(user.role, "engineer") ? <ReportUploadForm action={uploadReports} maxBytes={MAX_BODY_BYTES} /> : null}
      <Suspense fallback={<ListSkeleton label="Loading vulnerabilities" />}>
        <Vulnerabilities query={query} />
      </Suspense>
    </>
  );
}

function Filters({ query, targets }: { query: VulnerabilityQuery; targets: string[] }) {
  const fixable = query.fixable === undefined ? "" : query.fixable ? "yes" : "no";
  return (
    <form
      method="get"
      action="/vulnerabilities"
      aria-label="Filters"
      className="mb-4 grid grid-cols-1 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4"
    >
      <label className={LABEL}>
        Target
        <select name="target" defaultValue={query.target ?? ""} className={FIELD}>
          <option value="">any</option>
          {targets.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Severity
        <select name="severity" defaultValue={query.severity ?? ""} className={FIELD}>
          <option value="">any</option>
          {REPORT_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Fix available
        <select name="fixable" defaultValue={fixable} className={FIELD}>
          <option value="">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
      <div className="flex gap-2">
        <Button type="submit" size="sm">
          Apply
        </Button>
        <a href={vulnerabilitiesHref({})} className="px-2.5 py-1 text-xs text-slate-700 underline">
          Clear
        </a>
      </div>
    </form>
  );
}

async function Vulnerabilities({ query }: { query: VulnerabilityQuery }) {
  const [result, options] = await Promise.all([listFleetVulnerabilities(getDb(), query), getFilterOptions()]);
  const shown = result.rows.length < result.total ? `, the first ${result.rows.length} shown` : "";
  return (
    <>
      <Filters query={query} targets={options.targets} />
      <p className="mb-3 text-sm text-slate-600">
        {result.total} vulnerabilit{result.total === 1 ? "y" : "ies"} in running containers{shown}. {result.reports}{" "}
        current report{result.reports === 1 ? "" : "s"} held, {result.reportsNotRunning} for images nothing runs.
      </p>
      {result.rows.length === 0 ? (
        <EmptyState title="No vulnerabilities">
          {result.reports === 0
            ? "No scanner report is held yet. Upload one here, send it with rampart ingest, or POST it to /api/v1/reports."
            : "Nothing matches these filters in the images running now."}
        </EmptyState>
      ) : (
        <VulnerabilitiesTable rows={result.rows} />
      )}
    </>
  );
}
