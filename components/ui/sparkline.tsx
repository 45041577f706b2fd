/**
 * A small line of values (nulls skipped) as inline SVG: no client JavaScript, readable beside a number. Lines
 * compared side by side pass one `domain` (TrendGrid, the check page), so equal heights mean equal values; alone, the
 * line spans its own range.
 */
export function Sparkline({
  values,
  label,
  width = 160,
  height = 40,
  domain,
  className,
}: {
  values: readonly (number | null)[];
  label: string;
  width?: number;
  height?: number;
  domain?: readonly [number, number];
  className?: string;
}) {
  const points = values.flatMap((value, i) => (value === null ? [] : [{ i, value }]));
  if (points.length < 2) return <span className="text-xs text-slate-400">not enough history yet</span>;
  const min = domain?.[0] ?? Math.min(...points.map((p) => p.value));
  const max = domain?.[1] ?? Math.max(...points.map((p) => p.value));
  const span = max - min || 1;
  const x = (i: number) => (i / Math.max(1, values.length - 1)) * (width - 4) + 2;
  const y = (value: number) => height - 2 - ((value - min) / span) * (height - 4);
  const path = points.map((p, k) => `${k === 0 ? "M" : "L"}${x(p.i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const last = points[points.length - 1] as { i: number; value: number };
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className={className ?? "h-auto max-w-full"}
    >
      <path d={path} fill="none" stroke="#0f172a" strokeWidth={1.5} />
      <circle cx={x(last.i)} cy={y(last.value)} r={2.5} fill="#0f172a" />
    </svg>
  );
}
