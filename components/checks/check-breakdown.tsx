"use client";
import { Sparkline } from "@/components/ui/sparkline";
import { Table, Td, Th } from "@/components/ui/table";
import type { CheckBreakdownRow } from "@/lib/data/compliance-matrix";
import { visibleText } from "@/lib/format/visible-text";
import { targetHref } from "@/lib/scope/fleet-scope";

/** A row as the table draws it: its numbers, its daily values (the line) and the link to its failing containers. */
export type BreakdownRow = Pick<CheckBreakdownRow, "name" | "passed" | "failed" | "compliance" | "change"> & {
  values: (number | null)[];
  failedHref: string;
};

function changeText(change: number | null): string {
  if (change === null) return "–";
  const rounded = Math.round(change);
  return rounded > 0 ? `▲ ${rounded} pt` : rounded < 0 ? `▼ ${-rounded} pt` : "±0 pt";
}

/**
 * One check per target or team, least compliant first: compliance, the failing containers linking to their
 * violations (check and target or team kept), the change and a line per row, all lines on the one `domain` the page
 * gives every table it shows. A client component drawn from compact rows, so a big fleet's rows (200 targets on the
 * page benchmark) are sent once as data rather than as server-rendered markup twice (HTML and RSC payload); plain
 * links, not a next/link each.
 */
export function CheckBreakdown({
  by,
  rows,
  days,
  domain,
}: {
  by: "target" | "team";
  rows: BreakdownRow[];
  days: number;
  domain: readonly [number, number];
}) {
  const noun = by === "target" ? "target" : "team";
  if (rows.length === 0)
    return <p className="text-sm text-slate-500">No {noun} has containers judged on this check.</p>;
  const sorted = [...rows].sort((a, b) => (a.compliance ?? 0) - (b.compliance ?? 0) || a.name.localeCompare(b.name));
  return (
    <Table caption={`Compliance per ${noun}`}>
      <thead>
        <tr>
          <Th>{by === "target" ? "Target" : "Team"}</Th>
          <Th className="text-right">Compliance</Th>
          <Th className="text-right">Failing containers</Th>
          <Th className="text-right">{days} days</Th>
          <Th>
            Trend{" "}
            <span className="font-normal normal-case">
              (one axis: {domain[0]}–{domain[1]}%)
            </span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {sorted.map((row) => (
          <tr key={row.name} data-testid={`breakdown-${by}`}>
            <Td label={by === "target" ? "Target" : "Team"} className="font-medium break-words">
              {by === "target" ? (
                <a href={targetHref(row.name)} className="hover:underline">
                  {visibleText(row.name)}
                </a>
              ) : (
                visibleText(row.name)
              )}
            </Td>
            <Td label="Compliance" className="text-right tabular-nums">
              {row.compliance === null ? "–" : `${Math.round(row.compliance)}%`}
              <span className="block text-xs text-slate-500">
                {row.passed} of {row.passed + row.failed}
              </span>
            </Td>
            <Td label="Failing" className="text-right tabular-nums">
              <a
                href={row.failedHref}
                className="underline"
                aria-label={`${row.failed} failing in ${row.name}, show them`}
              >
                {row.failed}
              </a>
            </Td>
            <Td label={`${days} days`} className="text-right text-xs whitespace-nowrap">
              {changeText(row.change)}
            </Td>
            <Td label="Trend">
              <Sparkline
                values={row.values}
                domain={domain}
                label={`${row.name}: compliance per day, last ${days} days`}
                width={160}
                height={32}
              />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
