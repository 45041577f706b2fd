import type { RiskyWorkload } from "@/lib/data/overview";
import Link from "next/link";
import { visibleName, visibleText } from "@/lib/format/visible-text";

/** Most open critical findings first, then the lowest score; each links to its remediation page. */
export function RiskiestWorkloads({ rows }: { rows: RiskyWorkload[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No scored workloads in this view.</p>;
  return (
    <ol className="divide-y divide-slate-100 text-sm">
      {rows.map((row) => (
        <li key={row.id} className="flex items-center justify-between gap-3 py-1.5">
          <div className="min-w-0">
            <Link href={`/workloads/${row.id}`} className="block truncate font-medium hover:underline">
              {visibleName(row.name, row.namespace)}
            </Link>
            <span className="text-xs text-slate-500">
              {row.kind} on {visibleText(row.targetName)}
            </span>
          </div>
          <div className="shrink-0 text-right text-xs tabular-nums">
            <span className="text-base font-semibold">{row.score === null ? "–" : Math.round(row.score)}</span>
            <span className="block text-slate-600">
              <span className={row.openCritical > 0 ? "font-semibold text-red-700" : undefined}>
                {row.openCritical} critical
              </span>
              , {row.openHigh} high
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
