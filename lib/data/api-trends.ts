import "server-only";
import { listDailyRollups } from "./rollup-history";
import type { ScopedFilter } from "./scope";
import { windowDays } from "./trends";

export interface TrendPoint {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  passed: number;
  failed: number;
}

type TrendFilter = ScopedFilter & { days: number; checkId?: string };

/** Pass/fail counts at the end of each day of the window that has data, summed over checks (or one check). */
export async function listApiTrends(filter: TrendFilter, now = new Date()): Promise<TrendPoint[]> {
  const { target, namespace, team, checkId, access } = filter;
  const counts = await listDailyRollups(
    {
      access,
      ...(target ? { target } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(team ? { team } : {}), ...(checkId ? { checkId } : {}) },
    windowDays(filter.days, now),
    now,
  );
  const byDay = new Map<string, TrendPoint>();
  for (const count of counts) {
    const point = byDay.get(count.day) ?? { day: count.day, passed: 0, failed: 0 };
    point.passed += count.passed;
    point.failed += count.failed;
    byDay.set(count.day, point);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
