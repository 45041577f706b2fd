import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ComplianceTabs } from "@/components/compliance/compliance-tabs";
import { FrameworkControls, percentText } from "@/components/compliance/framework-controls";
import { FrameworkMethod } from "@/components/compliance/framework-method";
import { FleetFilters } from "@/components/overview/fleet-filters";
import { Card } from "@/components/ui/card";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/session";
import { getFrameworkCompliance } from "@/lib/data/frameworks";
import type { ScopedFilter } from "@/lib/data/scope";
import { getFilterOptions } from "@/lib/data/overview";
import { getFramework, type Framework } from "@/lib/frameworks";
import { fleetHref, parseFleetFilter, type SearchParams } from "@/lib/scope/fleet-scope";

type Params = Promise<{ framework: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: getFramework((await params).framework)?.name ?? "Framework" };
}

/** `/compliance/frameworks/<id>?target=…&namespace=…&team=…`: compliance per control of one framework, now. */
export default async function FrameworkPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<SearchParams>;
}) {
  const user = await requireRole("viewer");
  const framework = getFramework((await params).framework);
  if (!framework) notFound();
  const scope = parseFleetFilter(await searchParams);
  const options = await getFilterOptions(user.access);
  return (
    <div data-print-document>
      <PageHeader title={`${framework.name} ${framework.edition}`} description={describe(framework)}>
        <Link
          href={fleetHref("/reports/audit", scope)}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 print:hidden"
        >
          Auditor report
        </Link>
      </PageHeader>
      <ComplianceTabs current={framework.id} scope={scope} />
      <div className="mb-4 print:hidden">
        <FleetFilters path={`/compliance/frameworks/${framework.id}`} values={scope} options={options} />
      </div>
      <Suspense
        key={JSON.stringify(scope)}
        fallback={<PanelSkeleton label={`Loading ${framework.name}`} className="h-96" />}
      >
        <FrameworkPanel framework={framework} scope={{ ...scope, access: user.access }} />
      </Suspense>
    </div>
  );
}

function describe(framework: Framework): string {
  const on = framework.platform === "docker" ? "Docker hosts" : "Kubernetes clusters";
  return framework.basis === "pod-security"
    ? `Each control: current workloads on ${on} whose Pod Security verdict at that level does not list it ÷ workloads with a verdict.`
    : `Each control: containers on ${on} passing the checks that reference it ÷ containers judged on them, now.`;
}

async function FrameworkPanel({ framework, scope }: { framework: Framework; scope: ScopedFilter }) {
  const data = await getFrameworkCompliance(framework, scope);
  if (!data) return null;
  const judged = data.controls.filter((control) => control.notJudged === null);
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700" data-testid="framework-summary">
        Rampart judges {judged.length} of {data.controls.length} controls; the other{" "}
        {data.controls.length - judged.length} are listed as not judged by Rampart and count nowhere.
      </p>
      {data.levels.length > 0 ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {data.levels.map((level) => (
            <Card key={level.level} title={`${level.level === "baseline" ? "Baseline" : "Restricted"} level`}>
              <p className="text-3xl font-semibold tabular-nums" data-testid={`level-${level.level}`}>
                {percentText(level.compliance)}
              </p>
              <p className="text-xs text-slate-500">
                {level.allowed} of {level.judged} workloads allowed
              </p>
            </Card>
          ))}
        </div>
      ) : null}
      <FrameworkControls data={data} scope={scope} />
      <Card title="How these numbers are computed">
        <FrameworkMethod framework={framework} />
      </Card>
    </div>
  );
}
