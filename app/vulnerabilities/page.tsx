import type { Metadata } from "next";
import type { Access } from "@/lib/scope/access-scope";
import { Suspense } from "react";
import { ReportUploadForm } from "@/components/vulnerabilities/report-upload-form";
import { AcceptedVulnerabilitiesTable } from "@/components/vulnerabilities/accepted-vulnerabilities-table";
import { VulnerabilitiesTable } from "@/components/vulnerabilities/vulnerabilities-table";
import { VulnerabilityFilters } from "@/components/vulnerabilities/vulnerability-filters";
import { EmptyState } from "@/components/ui/empty-state";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getFilterOptions } from "@/lib/data/overview";
import { listAcceptedVulnerabilities } from "@/lib/data/accepted-vulnerabilities";
import { listFleetVulnerabilities } from "@/lib/data/vulnerabilities";
import { listVulnerabilityImages } from "@/lib/data/vulnerability-images";
import { parseVulnerabilityQuery, type VulnerabilityQuery } from "@/lib/scope/vulnerability-query";
import { MAX_UPLOAD_FILE_BYTES } from "@/lib/http/post-guard";
import { isWholeFleet } from "@/lib/scope/access-scope";
import { mayManageVulnerabilityExceptions } from "@/lib/services/reports";
import { acceptFormProp } from "./accept-form";
import { revokeVulnerability, uploadReport, uploadReports } from "./actions";

export const metadata: Metadata = { title: "Vulnerabilities" };

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
      {hasRole(user.role, "engineer") ? (
        <ReportUploadForm action={uploadReports} uploadOne={uploadReport} maxBytes={MAX_UPLOAD_FILE_BYTES} />
      ) : null}
      <Suspense fallback={<ListSkeleton label="Loading vulnerabilities" />}>
        <Vulnerabilities query={query} access={user.access} canAccept={mayManageVulnerabilityExceptions(user)} />
      </Suspense>
    </>
  );
}

async function Vulnerabilities(props: { query: VulnerabilityQuery; access: Access; canAccept: boolean }) {
  const { query, access, canAccept } = props;
  const db = getDb();
  const [result, options, accepted] = await Promise.all([
    listFleetVulnerabilities(db, { ...query, access }),
    getFilterOptions(access),
    isWholeFleet(access) ? listAcceptedVulnerabilities(db, new Date()) : null,
  ]);
  const images = await listVulnerabilityImages(
    db,
    access,
    result.rows.map((r) => r.vulnerabilityId),
  );
  const shown = result.rows.length < result.total ? `, the first ${result.rows.length} shown` : "";
  return (
    <>
      <VulnerabilityFilters query={query} options={options} />
      <p className="mb-3 text-sm text-slate-600">
        {result.total} vulnerabilit{result.total === 1 ? "y" : "ies"} in running containers: {result.open} open,{" "}
        {result.total - result.open} excepted everywhere they run{shown}. {result.reports} current report
        {result.reports === 1 ? "" : "s"} held
        {result.reportsNotRunning === null
          ? " for images running in this scope."
          : `, ${result.reportsNotRunning} for images nothing runs.`}
      </p>
      {result.rows.length === 0 ? (
        <EmptyState title="No vulnerabilities">
          {result.reports === 0 && result.reportsNotRunning === 0
            ? "No scanner report is held yet. Upload one here, send it with rampart ingest, POST it to /api/v1/reports, or run trivy-operator in a cluster Rampart polls."
            : "Nothing matches these filters in the images running now."}
        </EmptyState>
      ) : (
        <VulnerabilitiesTable rows={result.rows} images={images} {...acceptFormProp(canAccept ? "any" : null)} />
      )}
      <section aria-labelledby="accepted" className="mt-6">
        <h2 id="accepted" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          Accepted vulnerabilities
        </h2>
        {accepted === null ? (
          <p className="text-sm text-slate-600">
            Vulnerability exceptions name no target and reach the whole fleet, so their list is shown to users who see
            all of it. Each row above says whether it is excepted where you look.
          </p>
        ) : accepted.length === 0 ? (
          <p className="text-sm text-slate-600">No vulnerability risk is accepted now.</p>
        ) : (
          <AcceptedVulnerabilitiesTable rows={accepted} {...(canAccept ? { revoke: revokeVulnerability } : {})} />
        )}
      </section>
    </>
  );
}
