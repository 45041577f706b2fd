import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ContainerChecks } from "@/components/workloads/check-list";
import { CombinedFix } from "@/components/workloads/combined-fix";
import { ScoreHistory } from "@/components/workloads/score-history";
import { LabelList, PodSecurityVerdicts } from "@/components/workloads/workload-facts";
import { WorkloadVulnerabilities } from "@/components/workloads/workload-vulnerabilities";
import { ImageLink } from "@/components/images/image-link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { requireRole } from "@/lib/auth/session";
import type { AcceptScope } from "@/components/vulnerabilities/accept-vulnerability-form";
import { acceptFormProp } from "@/app/vulnerabilities/accept-form";
import { getDb } from "@/lib/db";
import { mayManageVulnerabilityExceptions } from "@/lib/services/reports";
import { listWorkloadVulnerabilities } from "@/lib/data/vulnerabilities";
import { getWorkload } from "@/lib/data/workloads";
import { visibleText } from "@/lib/format/visible-text";

export const metadata: Metadata = { title: "Workload" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function WorkloadPage(props: { params: Promise<{ workloadId: string }> }) {
  const user = await requireRole("viewer");
  const { workloadId } = await props.params;
  if (!UUID.test(workloadId)) notFound();
  const workload = await getWorkload(workloadId, user.access);
  if (!workload) notFound();
  const where = visibleText([workload.targetName, workload.namespace].filter(Boolean).join(" · "));
  return (
    <>
      <PageHeader title={`${workload.kind} ${visibleText(workload.name)}`} description={where}>
        <p className="text-sm text-slate-700">
          score{" "}
          <strong className="text-2xl text-slate-900">
            {workload.score === null ? "–" : Math.round(workload.score)}
          </strong>
          <span className="text-slate-600"> / 100</span>
        </p>
      </PageHeader>
      <p className="-mt-4 mb-6 text-sm text-slate-600">
        Last seen <Time value={workload.lastSeenAt} />
        {workload.goneAt ? (
          <span className="ml-2">
            <Badge tone="amber">gone</Badge>
          </span>
        ) : null}
        {" · "}
        <Link
          href={`/violations?target=${encodeURIComponent(workload.targetName)}&workload=${encodeURIComponent(workload.name)}`}
          className="underline"
        >
          open findings in the violations table
        </Link>
      </p>
      <div className="mb-6 grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <Card title="Replicas and digests">
          <p className="text-sm text-slate-800">
            <strong className="text-lg">{workload.replicas}</strong> running replica{workload.replicas === 1 ? "" : "s"}
          </p>
          <ul className="mt-1 space-y-1">
            {workload.containers.map((c) => (
              <li key={c.id} className="font-mono text-xs break-all text-slate-700">
                {visibleText(c.name)}: <ImageLink digest={c.digest} label={`Image of ${visibleText(c.name)}`} />
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Pod Security">
          <PodSecurityVerdicts verdicts={workload.podSecurity} />
        </Card>
        <Card title="Labels">
          <LabelList labels={workload.labels} empty="No labels." />
        </Card>
        <Card title="Namespace labels">
          <LabelList labels={workload.namespaceLabels} empty="No namespace labels." />
        </Card>
      </div>
      <section aria-labelledby="history" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="history" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
          Score history, 90 days
        </h2>
        <ScoreHistory points={workload.history} />
      </section>
      <Suspense fallback={<ListSkeleton label="Loading vulnerabilities" />}>
        <Vulnerabilities
          workloadId={workload.id}
          scope={
            mayManageVulnerabilityExceptions(user)
              ? {
                  ...(workload.namespace ? { namespace: workload.namespace } : {}),
                  workload: `${workload.kind}/${workload.name}`,
                  label: `for ${workload.kind} ${visibleText(workload.name)}${workload.namespace ? ` in ${visibleText(workload.namespace)}` : ""}`,
                }
              : null
          }
        />
      </Suspense>
      {workload.remediation ? (
        <CombinedFix fix={workload.remediation} workload={`${workload.kind} ${workload.name}`} />
      ) : null}
      {workload.containers.length === 0 ? (
        <EmptyState title="No current containers">
          This workload had no running containers in the last complete poll.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {workload.containers.map((container) => (
            <ContainerChecks key={container.id} container={container} />
          ))}
        </div>
      )}
    </>
  );
}

/** `scope` is the workload as an exception names it, when the user may accept risks. */
async function Vulnerabilities({ workloadId, scope }: { workloadId: string; scope: AcceptScope | null }) {
  const found = await listWorkloadVulnerabilities(getDb(), workloadId);
  return <WorkloadVulnerabilities {...found} {...acceptFormProp(scope)} />;
}
