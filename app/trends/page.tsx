import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { SmallTrend } from "@/components/charts/small-trend";
import { TrendChart } from "@/components/charts/trend-chart";
import { valueDomain } from "@/components/charts/value-domain";
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
import { fleetHref, parseFleetFilter, type FleetFilter, type SearchParams } from "@/lib/scope/fleet-scope";
import { getTrends, TREND_RANGES, type TrendRange } from "@/lib/data/trends";

export const metadata: Metadata = { title: "Trends" };

function parseRange(value: string | string[] | undefined): TrendRange {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return (TREND_RANGES as readonly number[]).includes(n) ? (n as TrendRange) : 30;
}

function firstValue(points: { value: number | null }[]): number | null {
  return points.find((point) => point.value !== null)?.value ?? null;
}

function changeText(first: number | null, last: number | null): string {
  if (first === null || last === null) return "";
  const change = Math.round(last - first);
  return change > 0 ? `▲ ${change} pt` : change < 0 ? `▼ ${-change} pt` : "±0 pt";
}

function lastValue(points: { value: number | null }[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const value = points[i]?.value;
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

export default async function TrendsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireRole("viewer");
  const params = await searchParams;
  const days = parseRange(params.days);
  const filter = parseFleetFilter(params);
  const options = await getFilterOptions();
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

async function TrendPanels({ days, filter }: { days: TrendRange; filter: FleetFilter }) {
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
          <section aria-label="Compliance per check">
            <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
              Compliance per check (% of containers passing; each panel&apos;s range is printed under it)
            </h2>
            <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4">
              {trends.checks.map((check) => {
                const latest = lastValue(check.points);
                const [low, high] = valueDomain(check.points);
                const change = changeText(firstValue(check.points), latest);
                return (
                  <li key={check.checkId} className="rounded-lg border border-slate-200 bg-white p-3">
                    <div className="flex items-start justify-between gap-2">
                      <Link href={`/checks/${check.checkId}`} className="text-sm font-medium hover:underline">
                        {check.title}
                      </Link>
                      <span className="text-sm font-semibold tabular-nums" data-testid={`trend-${check.checkId}`}>
                        {latest === null ? "–" : `${Math.round(latest)}%`}
                      </span>
                    </div>
                    <div className="flex items-center justify-between text-xs">
                      <SeverityBadge severity={check.severity} />
                      <span
                        className={
                          change.startsWith("▲")
                            ? "text-emerald-700"
                            : change.startsWith("▼")
                              ? "text-red-700"
                              : "text-slate-500"
                        }
                      >
                        {change} in {days} d
                      </span>
                    </div>
                    <SmallTrend points={check.points} label={`${check.title} compliance, last ${days} days`} />
                    <p className="text-right text-[11px] text-slate-400">
                      axis {low}–{high}%
                    </p>
                  </li>
                );
              })}
            </ul>
          </section>
          <Card title="How these numbers are computed">
            <ScoreFormulas withTrend />
          </Card>
        </div>
      )}
    </>
  );
}
