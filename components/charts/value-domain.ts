export interface TrendChartPoint {
  day: string;
  value: number | null;
}

/** A 0–100 axis cut to the data's range (in steps of 5) so a change of a few points is visible; ticks say where. */
export function valueDomain(points: readonly TrendChartPoint[]): [number, number] {
  const values = points.flatMap((point) => (point.value === null ? [] : [point.value]));
  if (values.length === 0) return [0, 100];
  const low = Math.max(0, Math.floor((Math.min(...values) - 5) / 5) * 5);
  const high = Math.min(100, Math.ceil((Math.max(...values) + 5) / 5) * 5);
  return [low, high];
}

/** Round ticks across the domain: every 5 points for a narrow range, every 10 or 25 for wider ones. */
export function valueTicks([low, high]: [number, number]): number[] {
  const step = high - low <= 30 ? 5 : high - low <= 60 ? 10 : 25;
  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high; tick += step) ticks.push(tick);
  return ticks;
}
