import type { ReactNode } from "react";
import { Sparkline } from "@/components/ui/sparkline";
import { valueDomain, type TrendChartPoint } from "./value-domain";

export interface TrendGridItem {
  key: string;
  /** The panel's name (usually a link). */
  title: ReactNode;
  /** The figure top right (usually the latest value). */
  value: ReactNode;
  /** Bottom left of the header line (a badge, a count). */
  aside?: ReactNode;
  points: TrendChartPoint[];
  /** The chart's accessible name. */
  label: string;
}

function firstValue(points: readonly TrendChartPoint[]): number | null {
  return points.find((point) => point.value !== null)?.value ?? null;
}

export function lastValue(points: readonly TrendChartPoint[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const value = points[i]?.value;
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function changeText(points: readonly TrendChartPoint[]): string {
  const first = firstValue(points);
  const last = lastValue(points);
  if (first === null || last === null) return "";
  const change = Math.round(last - first);
  return change > 0 ? `▲ ${change} pt` : change < 0 ? `▼ ${-change} pt` : "±0 pt";
}

/**
 * Small multiples compared side by side: every panel on one y axis (the range of all of them together), printed once,
 * so equal heights mean equal values across panels.
 */
export function TrendGrid({ items, days, caption }: { items: TrendGridItem[]; days: number; caption: string }) {
  const domain = valueDomain(items.flatMap((item) => item.points));
  return (
    <section aria-label={caption}>
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {caption}{" "}
        <span className="font-normal normal-case">
          (every panel on one axis: {domain[0]}–{domain[1]}%)
        </span>
      </h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4">
        {items.map((item) => {
          const change = changeText(item.points);
          return (
            <li key={item.key} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3">
              <div className="flex items-start justify-between gap-2">
                <span className="min-w-0 text-sm font-medium break-words">{item.title}</span>
                <span className="text-sm font-semibold tabular-nums">{item.value}</span>
              </div>
              <div className="flex items-center justify-between gap-2 text-xs">
                <span>{item.aside}</span>
                <span
                  className={
                    change.startsWith("▲")
                      ? "text-emerald-700"
                      : change.startsWith("▼")
                        ? "text-red-700"
                        : "text-slate-500"
                  }
                >
                  {change ? `${change} in ${days} d` : ""}
                </span>
              </div>
              <Sparkline
                values={item.points.map((point) => point.value)}
                domain={domain}
                label={item.label}
                width={320}
                height={64}
                className="mt-1 h-auto w-full"
              />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
