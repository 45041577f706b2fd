import { Suspense } from "react";
import { DemoEmptyState } from "@/components/overview/demo-empty-state";
import { FleetFilters } from "@/components/overview/fleet-filters";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { getFilterOptions } from "@/lib/data/overview";
import { parseFleetFilter, type SearchParams } from "@/lib/scope/fleet-scope";
import { hasPolled } from "@/lib/data/targets";
import { CompliancePanel, HeadlineCards, SidePanels, TargetsPanel } from "./overview-panels";
import { loadDemoFleetAction } from "./targets/actions";

const DESCRIPTION = "How well the fleet follows the container hardening checklist.";

/** Role, scope and filter choices first; every panel streams behind its own skeleton. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("viewer");
  const filter = { ...parseFleetFilter(await searchParams), access: user.access };
  const [options, polled] = await Promise.all([getFilterOptions(user.access), hasPolled()]);
  if (options.targets.length === 0 || !polled) {
    return (
      <>
        <PageHeader title="Overview" description={DESCRIPTION} />
        <DemoEmptyState canAdmin={hasRole(user.role, "admin")} loadDemo={loadDemoFleetAction} />
      </>
    );
  }
  const now = new Date();
  return (
    <>
      <PageHeader title="Overview" description={DESCRIPTION}>
        <FleetFilters path="/" values={filter} options={options} />
      </PageHeader>
      <div className="space-y-6">
        <Suspense fallback={<PanelSkeleton label="Loading headline numbers" className="h-36" />}>
          <HeadlineCards filter={filter} now={now} />
        </Suspense>
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-5">
          <div className="xl:col-span-3">
            <Suspense fallback={<PanelSkeleton label="Loading compliance per check" className="h-96" />}>
              <CompliancePanel filter={filter} now={now} />
            </Suspense>
          </div>
          <div className="space-y-4 xl:col-span-2">
            <Suspense fallback={<PanelSkeleton label="Loading riskiest workloads" className="h-96" />}>
              <SidePanels filter={filter} />
            </Suspense>
          </div>
        </div>
        <Suspense fallback={<PanelSkeleton label="Loading targets" className="h-40" />}>
          <TargetsPanel filter={filter} now={now} />
        </Suspense>
      </div>
    </>
  );
}
