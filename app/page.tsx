import Link from "next/link";
import { connection } from "next/server";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { violationsHref } from "@/components/findings/violation-filters";
import { ComplianceBars, type ComplianceBar } from "@/components/overview/compliance-bars";
import { DemoEmptyState } from "@/components/overview/demo-empty-state";
import { FleetFilters } from "@/components/overview/fleet-filters";
import { PodSecurityTable } from "@/components/overview/pod-security-table";
import { RiskiestWorkloads } from "@/components/overview/riskiest-workloads";
import { TargetHealthTable } from "@/components/overview/target-health-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Sparkline } from "@/components/ui/sparkline";
import { Stat } from "@/components/ui/stat";
import { hasRole, requireRole } from "@/lib/auth/session";
import { listCheckCompliance } from "@/lib/data/checks";
import {
  getFilterOptions,
  getFindingActivity,
  getOverview,
  listPodSecurity,
  listRiskiestWorkloads,
  parseFleetFilter,
  type SearchParams,
} from "@/lib/data/overview";
import { listTargets } from "@/lib/data/targets";
import { firstValues, getTrends } from "@/lib/data/trends";
import { SEVERITIES } from "@/lib/domain/severity";
import { loadDemoFleetAction } from "./targets/actions";

const CHANGE_DAYS = 30;

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("viewer");
  await connection();
  const filter = parseFleetFilter(await searchParams);
  const now = new Date();
  const trendFilter = { days: CHANGE_DAYS, targetId: filter.targetId, namespace: filter.namespace };
  const [overview, compliance, trends, podSecurity, targets, riskiest, activity, options] = await Promise.all([
    getOverview(filter),
    listCheckCompliance(filter),
    getTrends(trendFilter, now),
    listPodSecurity(filter),
    listTargets(now, filter),
    listRiskiestWorkloads(filter),
    getFindingActivity(filter, now),
    getFilterOptions(),
  ]);
  if (options.targets.length === 0 || (overview.containers === 0 && targets.every((t) => t.lastRun === null))) {
    return (
      <>
        <PageHeader title="Overview" description="How well the fleet follows the container hardening checklist." />
        <DemoEmptyState canAdmin={hasRole(user.role, "admin")} loadDemo={loadDemoFleetAction} />
      </>
    );
  }
  // Rollups carry no labels, so the change over 30 days is only shown when no team filter is set.
  const baseline = filter.team ? new Map<string, number>() : firstValues(trends);
  const bars: ComplianceBar[] = compliance
    .filter((row) => row.seed)
    .map((row) => {
      const start = baseline.get(row.checkId);
      return { ...row, change: start === undefined || row.compliance === null ? null : row.compliance - start };
    });
  const isNarrowed = filter.namespace !== undefined || filter.team !== undefined;
  const shownTargets = targets.filter(
    (t) => (!filter.targetId || t.id === filter.targetId) && (!isNarrowed || t.containers > 0),
  );
  return (
    <>
      <PageHeader title="Overview" description="How well the fleet follows the container hardening checklist.">
        <FleetFilters
          path="/"
          values={{ target: filter.targetId, namespace: filter.namespace, team: filter.team }}
          options={options}
        />
      </PageHeader>
      <div className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <Card title="Fleet score">
            <Stat
              value={
                <span data-testid="fleet-score">
                  {overview.fleetScore === null ? "–" : Math.round(overview.fleetScore)}
                </span>
              }
              unit="/ 100"
              hint="mean container score"
            />
            <Link href="/trends" aria-label="Score trend over 30 days, open Trends" className="mt-2 block">
              <Sparkline
                values={trends.score.map((p) => p.value)}
                label="Weighted fleet score, last 30 days"
                width={220}
                height={36}
              />
            </Link>
            <p className="text-xs text-slate-500">last 30 days, from run rollups</p>
          </Card>
          <Card title="Containers">
            <Stat
              value={<span data-testid="containers">{overview.containers}</span>}
              hint={`current, on ${overview.targets} target(s)`}
            />
          </Card>
          <Card title="Open findings">
            <ul className="grid grid-cols-2 gap-x-4 gap-y-1">
              {SEVERITIES.map((severity) => (
                <li key={severity} className="flex items-center justify-between text-sm">
                  <SeverityBadge severity={severity} />
                  <Link
                    href={violationsHref({ severity })}
                    className="font-medium tabular-nums hover:underline"
                    data-testid={`open-${severity}`}
                  >
                    {overview.openBySeverity[severity]}
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
          <Card title="This week">
            <div className="flex gap-6">
              <Stat value={<span data-testid="opened-week">{activity.opened}</span>} hint="opened" />
              <Stat value={<span data-testid="resolved-week">{activity.resolved}</span>} hint="resolved" />
            </div>
            <p className="mt-1 text-xs text-slate-500">findings in the last 7 days</p>
          </Card>
        </div>
        <div className="grid gap-4 xl:grid-cols-5">
          <div className="xl:col-span-3">
            <Card title="Compliance per check (the seed checklist)">
              <ComplianceBars rows={bars} days={CHANGE_DAYS} />
            </Card>
          </div>
          <div className="space-y-4 xl:col-span-2">
            <Card title="Riskiest workloads">
              <RiskiestWorkloads rows={riskiest} />
            </Card>
            <Card title="Pod Security compliance per cluster">
              <PodSecurityTable rows={podSecurity} />
            </Card>
          </div>
        </div>
        <section aria-label="Targets">
          <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Targets</h2>
          <TargetHealthTable targets={shownTargets} now={now.toISOString()} />
        </section>
      </div>
    </>
  );
}
