import "server-only";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { SEVERITY_WEIGHT, type Severity } from "@/lib/domain/severity";
import { listDailyRollups, type DailyCheckCount } from "./rollup-history";
import type { ScopedFilter } from "./scope";

export type { DailyCheckCount } from "./rollup-history";

export const TREND_RANGES = [7, 30, 90] as const;
export type TrendRange = (typeof TREND_RANGES)[number];

export type TrendFilter = ScopedFilter & { days: number };

export interface TrendPoint {
  day: string;
  /** 0..100, or null on a day without data. */
  value: number | null;
}

export interface CheckTrend {
  checkId: string;
  title: string;
  severity: Severity;
  points: TrendPoint[];
}

export interface Trends {
  days: string[];
  /** The weighted fleet score per day (see `weightedScore`). */
  score: TrendPoint[];
  checks: CheckTrend[];
}

const DAY_MS = 86_400_000;

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Every UTC day of the window, oldest first, ending with `now`'s day. */
export function windowDays(days: number, now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => dayOf(new Date(today - (days - 1 - i) * DAY_MS)));
}

/**
 * Counts per day and check at each day's end: rollups are written when counts change, and each target,
 * namespace, team and check carries its last value forward (CHECKS.md scores stay reproducible from stored rows).
 */
export async function listDailyCheckCounts(filter: TrendFilter, now = new Date()): Promise<DailyCheckCount[]> {
  const { target, namespace, team, access } = filter;
  return listDailyRollups(
    {
      access,
      ...(target ? { target } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(team ? { team } : {}),
    },
    windowDays(filter.days, now),
    now,
  );
}

/** passed ÷ (passed + failed) × 100, or null when nothing was judged. */
export function compliancePercent(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : (100 * passed) / (passed + failed);
}

/**
 * The fleet score of a day from its rollups: 100 × Σ_checks w × passed ÷ Σ_checks w × (passed + failed), with w
 * the check's severity weight. It equals the mean container score when every container is judged on the same
 * checks; rollups do not keep single containers, so it is the container-weighted form of the CHECKS.md score.
 */
export function weightedScore(
  counts: readonly Pick<DailyCheckCount, "checkId" | "passed" | "failed">[],
): number | null {
  let passed = 0;
  let judged = 0;
  for (const count of counts) {
    const severity = CHECK_CATALOG.find((check) => check.id === count.checkId)?.severity;
    const weight = severity ? SEVERITY_WEIGHT[severity] : 0;
    passed += weight * count.passed;
    judged += weight * (count.passed + count.failed);
  }
  return judged === 0 ? null : (100 * passed) / judged;
}

export async function getTrends(filter: TrendFilter, now = new Date()): Promise<Trends> {
  const days = windowDays(filter.days, now);
  const counts = await listDailyCheckCounts(filter, now);
  const byDay = new Map<string, DailyCheckCount[]>();
  for (const count of counts) byDay.set(count.day, [...(byDay.get(count.day) ?? []), count]);
  const score = days.map((day) => ({ day, value: weightedScore(byDay.get(day) ?? []) }));
  const checks = CHECK_CATALOG.map((check) => ({
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    points: days.map((day) => {
      const count = byDay.get(day)?.find((c) => c.checkId === check.id);
      return { day, value: count ? compliancePercent(count.passed, count.failed) : null };
    }),
  })).filter((check) => check.points.some((point) => point.value !== null));
  return { days, score, checks };
}

/** The first day of the window that has data, per check: the baseline of "change over N days". */
export function firstValues(trends: Trends): Map<string, number> {
  const out = new Map<string, number>();
  for (const check of trends.checks) {
    const first = check.points.find((point) => point.value !== null)?.value;
    if (first !== undefined && first !== null) out.set(check.checkId, first);
  }
  return out;
}
