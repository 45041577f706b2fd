import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { TrendChart } from "@/components/charts/trend-chart";
import { lastValue, TrendGrid } from "@/components/charts/trend-grid";
import { ScoreFormulas } from "@/components/checks/score-formulas";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { FleetFilters } from "@/components/overview/fleet-filters";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/session";
import { getFilterOptions } from "@/lib/data/overview";
import { fleetHref, parseFleetFilter, type SearchParams } from "@/lib/scope/fleet-scope";
import type { ScopedFilter } from "@/lib/data/scope";
import { getTrends, TREND_RANGES, type TrendRange } from "@/lib/data/trends";

export const metadata: Metadata = { title: "Trends" };

function parseRange(value: string | string[] | undefined): TrendRange {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return (TREND_RANGES as readonly number[]).includes(n) ? (n as TrendRange) : 30;
}

export default async function TrendsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireRole("viewer");
  const params = await searchParams;
  const days = parseRange(params.days);
  const filter = { ...parseFleetFilter(params), access: user.access };
  const options = await getFilterOptions(user.access);
  return (
    <>
      <PageHeader title="Trends" description="Fleet score and compliance per check over time, from the run rollups.">
        <FleetFilters path="/trends" values={filter} options={options} extra={{ days: String(days) }} />
      </PageHeader>
      <nav aria-label="Range" className="mb-4 flex gap-1">
        {TREND_RANGES.map((range) => (
          <Link
            key={range}
            href={fleetHref("/trends", filter, { days: String(range) })}
            aria-current={range === days ? "page" : undefined}
            className={cn(
              "rounded-md border px-3 py-1 text-sm",
              range === days
                ? "border-slate-900 bg-slate-900 text-white"
                : "border-slate-300 bg-white hover:bg-slate-100",
            )}
          >
            {range} days
          </Link>
        ))}
      </nav>
      <Suspense key={`${days}`} fallback={<PanelSkeleton label="Loading trends" className="h-96" />}>
        <TrendPanels days={days} filter={filter} />
      </Suspense>
    </>
  );
}

async function TrendPanels({ days, filter }: { days: TrendRange; filter: ScopedFilter }) {
  const trends = await getTrends({ days, ...filter });
  const hasData = trends.score.some((point) => point.value !== null);
  const score = lastValue(trends.score);
  return (
    <>
      {!hasData ? (
        <EmptyState title="No history in this range">
          <p>Trends fill in as targets are polled; each target&apos;s last run of a day counts for that day.</p>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Card title={`Fleet score per day, last ${days} days`}>
            <p className="mb-2 text-sm text-slate-600">
              Latest: <strong data-testid="trend-score">{score === null ? "–" : score.toFixed(1)}</strong> / 100
            </p>
            <TrendChart points={trends.score} label={`Fleet score per day, last ${days} days`} />
          </Card>
          <TrendGrid
            caption="Compliance per check (% of containers passing)"
            days={days}
            items={trends.checks.map((check) => {
              const latest = lastValue(check.points);
              return {
                key: check.checkId,
                title: (
                  <Link href={`/checks/${check.checkId}`} className="hover:underline">
                    {check.title}
                  </Link>
                ),
                value: (
                  <span data-testid={`trend-${check.checkId}`}>{latest === null ? "–" : `${Math.round(latest)}%`}</span>
                ),
                aside: <SeverityBadge severity={check.severity} />,
                points: check.points,
                label: `${check.title} compliance, last ${days} days`,
              };
            })}
          />
          <Card title="How these numbers are computed">
            <ScoreFormulas withTrend />
          </Card>
        </div>
      )}
    </>
  );
}
