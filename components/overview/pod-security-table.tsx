import type { PodSecurityRow } from "@/lib/data/overview";
import { ProgressBar } from "@/components/ui/progress-bar";

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (100 * part) / whole;
}

function Level({ label, part, whole }: { label: string; part: number; whole: number }) {
  const value = percent(part, whole);
  return (
    <div>
      <ProgressBar value={value} label={label} />
      <span className="text-xs text-slate-600 tabular-nums">
        {value === null ? "–" : `${Math.round(value)}%`} ({part} of {whole})
      </span>
    </div>
  );
}

/** Share of each cluster's workloads that Pod Security Admission would admit at baseline and restricted. */
export function PodSecurityTable({ rows }: { rows: PodSecurityRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No Kubernetes workloads in this view.</p>;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Pod Security compliance per cluster</caption>
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th scope="col" className="pb-2 font-medium">
            Cluster
          </th>
          <th scope="col" className="pb-2 font-medium">
            Baseline
          </th>
          <th scope="col" className="pb-2 font-medium">
            Restricted
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.targetId} className="border-t border-slate-100">
            <td className="py-1.5 pr-3 font-medium">{row.targetName}</td>
            <td className="py-1.5 pr-3">
              <Level label={`${row.targetName} baseline`} part={row.baseline} whole={row.workloads} />
            </td>
            <td className="py-1.5">
              <Level label={`${row.targetName} restricted`} part={row.restricted} whole={row.workloads} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
