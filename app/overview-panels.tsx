import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { ComplianceBars } from "@/components/overview/compliance-bars";
import { PodSecurityTable } from "@/components/overview/pod-security-table";
import { RiskiestWorkloads } from "@/components/overview/riskiest-workloads";
import { TargetHealthTable } from "@/components/overview/target-health-table";
import { Card } from "@/components/ui/card";
import { Sparkline } from "@/components/ui/sparkline";
import { Stat } from "@/components/ui/stat";
import { listCheckCompliance } from "@/lib/data/checks";
import { getFindingActivity, getOverview, listPodSecurity, listRiskiestWorkloads } from "@/lib/data/overview";
import { fleetHref, isUnscoped } from "@/lib/scope/fleet-scope";
import type { ScopedFilter } from "@/lib/data/scope";
import { listTargets } from "@/lib/data/targets";
import { firstValues, getTrends } from "@/lib/data/trends";
import { violationsHref } from "@/lib/scope/violation-query";
import { SEVERITIES } from "@/lib/domain/severity";

export const CHANGE_DAYS = 30;

/** The overview's slow panels; each loads its own read models so the page streams them one by one. */
export async function HeadlineCards({ filter, now }: { filter: ScopedFilter; now: Date }) {
  const [overview, trends, activity] = await Promise.all([
    getOverview(filter),
    getTrends({ days: CHANGE_DAYS, ...filter }, now),
    getFindingActivity(filter, now),
  ]);
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
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
        <Link
          href={fleetHref("/trends", filter)}
          aria-label="Score trend over 30 days, open Trends"
          className="mt-2 block"
        >
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
          hint={`current, on ${overview.targets} target${overview.targets === 1 ? "" : "s"}`}
        />
      </Card>
      <Card title="Open findings">
        <ul className="grid grid-cols-2 gap-x-4 gap-y-1">
          {SEVERITIES.map((severity) => (
            <li key={severity} className="flex items-center justify-between text-sm">
              <SeverityBadge severity={severity} />
              <Link
                href={violationsHref({ ...filter, severity })}
                className="font-medium tabular-nums hover:underline"
                data-testid={`open-${severity}`}
                aria-label={`${overview.openBySeverity[severity]} open ${severity} findings, show them`}
              >
                {overview.openBySeverity[severity]}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="This week">
        <div className="flex gap-6">
          <Stat
            value={
              <Link
                href={violationsHref({ ...filter, since: activity.since, sort: "first-seen" })}
                className="hover:underline"
                data-testid="opened-week"
                aria-label={`${activity.opened} opened this week, show the open ones`}
              >
                {activity.opened}
              </Link>
            }
            hint="opened"
          />
          <Stat
            value={
              <Link
                href={violationsHref({ ...filter, status: "resolved", sort: "last-seen" })}
                className="hover:underline"
                data-testid="resolved-week"
                aria-label={`${activity.resolved} resolved this week, show resolved findings`}
              >
                {activity.resolved}
              </Link>
            }
            hint="resolved"
          />
        </div>
        <p className="mt-1 text-xs text-slate-500">findings in the last 7 days</p>
      </Card>
    </div>
  );
}

export async function CompliancePanel({ filter, now }: { filter: ScopedFilter; now: Date }) {
  const [compliance, trends] = await Promise.all([
    listCheckCompliance(filter),
    getTrends({ days: CHANGE_DAYS, ...filter }, now),
  ]);
  const baseline = firstValues(trends);
  const rows = compliance
    .filter((row) => row.seed)
    .map((row) => {
      const start = baseline.get(row.checkId);
      const change = start === undefined || row.compliance === null ? null : row.compliance - start;
      return { ...row, change, failingHref: violationsHref({ ...filter, checkId: row.checkId }) };
    });
  return (
    <Card title="Compliance per check (the checklist)">
      <ComplianceBars rows={rows} days={CHANGE_DAYS} />
    </Card>
  );
}

export async function SidePanels({ filter }: { filter: ScopedFilter }) {
  const [riskiest, podSecurity] = await Promise.all([listRiskiestWorkloads(filter), listPodSecurity(filter)]);
  return (
    <>
      <Card title="Riskiest workloads">
        <RiskiestWorkloads rows={riskiest} />
      </Card>
      <Card title="Pod Security compliance per cluster">
        <PodSecurityTable rows={podSecurity} />
      </Card>
    </>
  );
}

export async function TargetsPanel({ filter, now }: { filter: ScopedFilter; now: Date }) {
  const targets = await listTargets(filter, now);
  const shown = targets.filter(
    (t) =>
      (!filter.target || t.name === filter.target) &&
      (isUnscoped({ ...filter, target: undefined }) || t.containers > 0),
  );
  return (
    <section aria-label="Targets">
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Targets</h2>
      <TargetHealthTable
        targets={shown.map((t) => ({
          id: t.id,
          name: t.name,
          platform: t.platform,
          isDemo: t.isDemo,
          score: t.score,
          containers: t.containers,
          openCritical: t.openCritical,
          openHigh: t.openHigh,
          lastSuccessAt: t.lastSuccessAt,
          isStale: t.isStale,
          intervalSeconds: t.intervalSeconds,
          enabled: t.enabled,
          lastRunFailed: t.lastRun?.status === "failed",
          criticalHref: violationsHref({ ...filter, target: t.name, severity: "critical" }),
          highHref: violationsHref({ ...filter, target: t.name, severity: "high" }),
        }))}
        now={now.toISOString()}
      />
    </section>
  );
}
