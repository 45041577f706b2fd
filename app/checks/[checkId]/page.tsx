import type { Metadata } from "next";
import type { Access } from "@/lib/scope/access-scope";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Fragment, Suspense } from "react";
import { valueDomain } from "@/components/charts/value-domain";
import { CheckBreakdown, type BreakdownRow } from "@/components/checks/check-breakdown";
import { FailingWorkloads } from "@/components/checks/failing-workloads";
import { RemediationExample } from "@/components/checks/remediation-example";
import { ReportSources } from "@/components/checks/report-sources";
import { ScoreFormulas } from "@/components/checks/score-formulas";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { violationsHref } from "@/lib/scope/violation-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { podSecurityControlTitle } from "@/lib/pss/titles";
import { requireRole } from "@/lib/auth/session";
import { getCheckMeta } from "@/lib/checks/catalog";
import { PLATFORM_LABEL, PLATFORMS } from "@/lib/domain/facts";
import {
  countOpenFindings,
  getRemediationExamples,
  listCheckCompliance,
  listFailingWorkloads,
} from "@/lib/data/checks";
import { getCheckBreakdown, MATRIX_CHANGE_DAYS, type CheckBreakdownRow } from "@/lib/data/compliance-matrix";

export async function generateMetadata({ params }: { params: Promise<{ checkId: string }> }): Promise<Metadata> {
  const meta = getCheckMeta((await params).checkId);
  return { title: meta?.title ?? "Check" };
}

const REFERENCE_LABELS = {
  cisDocker: "CIS Docker Benchmark",
  cisKubernetes: "CIS Kubernetes Benchmark",
  nsaCisa: "NSA/CISA Kubernetes Hardening Guidance",
  podSecurity: "Pod Security control",
  polaris: "Polaris",
  kubescape: "Kubescape",
} as const;

export default async function CheckPage({ params }: { params: Promise<{ checkId: string }> }) {
  const user = await requireRole("viewer");
  await connection();
  const meta = getCheckMeta((await params).checkId);
  if (!meta) notFound();
  const scope = { access: user.access };
  const [compliance, failing, open] = await Promise.all([
    listCheckCompliance(scope),
    listFailingWorkloads(meta.id, scope),
    countOpenFindings(meta.id, scope),
  ]);
  const current = compliance.find((row) => row.checkId === meta.id);
  const examples = getRemediationExamples(meta.id);
  return (
    <>
      <PageHeader title={meta.title} description={meta.id}>
        <div className="flex items-center gap-2">
          <SeverityBadge severity={meta.severity} />
          <Badge>{meta.category}</Badge>
          {meta.seed ? <Badge tone="sky">the checklist</Badge> : null}
        </div>
      </PageHeader>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <div className="space-y-4 xl:col-span-2">
          <Card title="Why">
            <p className="text-sm text-slate-800">{meta.rationale}</p>
            <h3 className="mt-3 text-xs font-semibold text-slate-600">Threat</h3>
            <p className="text-sm text-slate-800">{meta.threat}</p>
          </Card>
          <Card title="How it is judged">
            <dl className="space-y-2 text-sm">
              {PLATFORMS.map((platform) => (
                <Fragment key={platform}>
                  <dt className="font-medium">{PLATFORM_LABEL[platform]}</dt>
                  <dd className="text-slate-700">{meta.judged[platform]}</dd>
                </Fragment>
              ))}
            </dl>
          </Card>
          {meta.evidence === "scanner-reports" ? (
            <Card title="Where the evidence comes from">
              <ReportSources />
            </Card>
          ) : null}
          <Card title="Remediation example">
            {examples.length === 0 ? (
              <p className="text-sm text-slate-700">{meta.remediationSummary}</p>
            ) : (
              <div className="space-y-4">
                {examples.map((example) => (
                  <RemediationExample key={example.platform} example={example} />
                ))}
              </div>
            )}
          </Card>
        </div>
        <div className="space-y-4">
          <Card title="Compliance now">
            <p className="text-3xl font-semibold tabular-nums" data-testid="check-compliance">
              {current?.compliance == null ? "–" : `${Math.round(current.compliance)}%`}
            </p>
            <ProgressBar value={current?.compliance ?? null} label={`${meta.title} compliance`} className="mt-2" />
            <p className="mt-1 text-xs text-slate-500">
              {current?.passed ?? 0} passing of {(current?.passed ?? 0) + (current?.failed ?? 0)} judged containers
            </p>
            <Link href={violationsHref({ checkId: meta.id })} className="mt-2 inline-block text-sm underline">
              {open} open finding(s) in Violations
            </Link>
          </Card>
          <Card title="References">
            <dl className="space-y-1 text-sm">
              {(Object.keys(REFERENCE_LABELS) as (keyof typeof REFERENCE_LABELS)[]).map((key) =>
                meta.references[key]?.length ? (
                  <div key={key}>
                    <dt className="text-xs text-slate-500">{REFERENCE_LABELS[key]}</dt>
                    {key === "podSecurity" ? (
                      meta.references.podSecurity?.map((control) => (
                        <dd key={control} className="text-xs">
                          {podSecurityControlTitle(control)} <span className="font-mono text-slate-600">{control}</span>
                        </dd>
                      ))
                    ) : (
                      <dd className="font-mono text-xs">{meta.references[key]?.join(", ")}</dd>
                    )}
                  </div>
                ) : null,
              )}
            </dl>
          </Card>
          <Card title="Scores">
            <ScoreFormulas />
          </Card>
        </div>
      </div>
      <section aria-label="Per target and per team" className="mt-6">
        <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          Per target and per team, last {MATRIX_CHANGE_DAYS} days
        </h2>
        <Suspense fallback={<PanelSkeleton label="Loading compliance per target and team" className="h-64" />}>
          <Breakdowns checkId={meta.id} access={user.access} />
        </Suspense>
      </section>
      <section aria-label="Workloads failing this check" className="mt-6">
        <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Workloads failing it</h2>
        <FailingWorkloads rows={failing} total={open} />
      </section>
    </>
  );
}

/** The check per target and per team, streamed: both read the rollups (latest and daily). */
async function Breakdowns({ checkId, access }: { checkId: string; access: Access }) {
  const now = new Date();
  const [targets, teams] = await Promise.all([
    getCheckBreakdown(checkId, "target", MATRIX_CHANGE_DAYS, access, now),
    getCheckBreakdown(checkId, "team", MATRIX_CHANGE_DAYS, access, now),
  ]);
  const domain = valueDomain([...targets, ...teams].flatMap((row) => row.points));
  const compact = (rows: CheckBreakdownRow[], by: "target" | "team"): BreakdownRow[] =>
    rows.map(({ name, passed, failed, compliance, change, points }) => ({
      name,
      passed,
      failed,
      compliance,
      change,
      values: points.map((point) => point.value),
      failedHref: violationsHref({ checkId, [by]: name }),
    }));
  return (
    <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
      <Card title="Per target">
        <CheckBreakdown by="target" rows={compact(targets, "target")} days={MATRIX_CHANGE_DAYS} domain={domain} />
      </Card>
      <Card title="Per team">
        <CheckBreakdown by="team" rows={compact(teams, "team")} days={MATRIX_CHANGE_DAYS} domain={domain} />
      </Card>
    </div>
  );
}
