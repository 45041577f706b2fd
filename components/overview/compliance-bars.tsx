import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { CheckCompliance } from "@/lib/data/checks";

/** A check's compliance in the page's scope, its change over the window, and the link to its failing findings. */
export type ComplianceBar = CheckCompliance & {
  /** Percentage points since the start of the window, or null without history. */
  change: number | null;
  failingHref: string;
};

function Change({ value, days }: { value: number | null; days: number }) {
  if (value === null) return <span className="text-slate-400">–</span>;
  const rounded = Math.round(value);
  const tone = rounded > 0 ? "text-emerald-700" : rounded < 0 ? "text-red-700" : "text-slate-500";
  const text = rounded > 0 ? `▲ ${rounded}` : rounded < 0 ? `▼ ${-rounded}` : "±0";
  return (
    <span className={tone} title={`percentage points over ${days} days`}>
      {text} pt
    </span>
  );
}

/** One row per check: name, bar, percentage and change, all on one line so nothing needs a legend. */
export function ComplianceBars({ rows, days }: { rows: ComplianceBar[]; days: number }) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Compliance per check</caption>
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th scope="col" className="pb-2 font-medium">
            Check
          </th>
          <th scope="col" className="w-2/5 pb-2 font-medium">
            Containers passing
          </th>
          <th scope="col" className="pb-2 text-right font-medium">
            %
          </th>
          <th scope="col" className="pb-2 text-right font-medium">
            {days} d
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.checkId} className="border-t border-slate-100">
            <td className="py-1.5 pr-3">
              <Link href={`/checks/${row.checkId}`} className="hover:underline">
                {row.title}
              </Link>{" "}
              <SeverityBadge severity={row.severity} />
            </td>
            <td className="py-1.5 pr-3">
              <ProgressBar value={row.compliance} label={`${row.title} compliance`} />
              <span className="text-xs text-slate-500">
                {row.passed} of {row.passed + row.failed}
                {row.failed > 0 ? (
                  <>
                    {" · "}
                    <Link href={row.failingHref} className="underline hover:text-slate-900">
                      {row.failed} failing
                    </Link>
                  </>
                ) : null}
              </span>
            </td>
            <td className="py-1.5 text-right font-medium tabular-nums" data-testid={`compliance-${row.checkId}`}>
              {row.compliance === null ? "–" : `${Math.round(row.compliance)}%`}
            </td>
            <td className="py-1.5 pl-2 text-right text-xs whitespace-nowrap tabular-nums">
              <Change value={row.change} days={days} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
