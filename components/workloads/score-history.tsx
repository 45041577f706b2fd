import type { ScorePoint } from "@/lib/data/workloads";

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 36, right: 12, top: 10, bottom: 24 };

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** Score 0–100 over time as a step line (a score holds until the next change), with the axes labelled. */
export function ScoreHistory({ points }: { points: ScorePoint[] }) {
  if (points.length === 0) return <p className="text-sm text-slate-600">No scored containers yet.</p>;
  const first = Date.parse(points[0]?.at ?? "");
  const last = Date.parse(points[points.length - 1]?.at ?? "");
  const span = Math.max(1, last - first);
  const x = (at: string) => PAD.left + ((Date.parse(at) - first) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (score: number) => PAD.top + (1 - score / 100) * (HEIGHT - PAD.top - PAD.bottom);
  let path = "";
  points.forEach((p, i) => {
    const prev = points[i - 1];
    path += i === 0 ? `M${x(p.at)},${y(p.score)}` : `H${x(p.at)}V${y(p.score)}`;
    if (prev === undefined && points.length === 1) path += `H${WIDTH - PAD.right}`;
  });
  const latest = points[points.length - 1];
  const summary = `Score from ${Math.round(points[0]?.score ?? 0)} on ${day(points[0]?.at ?? "")} to ${Math.round(latest?.score ?? 0)} on ${day(latest?.at ?? "")}`;
  return (
    <figure>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="h-auto w-full max-w-2xl">
        {[0, 50, 100].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#475569">
              {tick}
            </text>
          </g>
        ))}
        <path d={path} fill="none" stroke="#0f172a" strokeWidth="2" />
        {points.map((p) => (
          <circle key={p.at} cx={x(p.at)} cy={y(p.score)} r="3" fill="#0f172a">
            <title>{`${day(p.at)}: ${Math.round(p.score)}`}</title>
          </circle>
        ))}
        <text x={PAD.left} y={HEIGHT - 6} fontSize="11" fill="#475569">
          {day(points[0]?.at ?? "")}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} fontSize="11" fill="#475569" textAnchor="end">
          {day(latest?.at ?? "")}
        </text>
      </svg>
      <figcaption className="text-xs text-slate-600">{summary}.</figcaption>
    </figure>
  );
}
