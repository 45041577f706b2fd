"use client";
import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { cn } from "@/components/ui/cn";
import type { Severity } from "@/lib/domain/severity";
import { SCALE } from "./matrix-scale";

/** A cell as the page draws it: compliance and change rounded to whole points, failing containers, its link. */
export type BodyCell = [percent: number, change: number | null, failed: number, href: string] | null;

export interface BodyRow {
  checkId: string;
  title: string;
  severity: Severity;
  /** One per column, in column order. */
  cells: BodyCell[];
}

function changeText(change: number | null): string {
  if (change === null) return "–";
  return change > 0 ? `▲ ${change}` : change < 0 ? `▼ ${-change}` : "±0";
}

/**
 * The matrix's rows, drawn from compact cells: a client component, so the page sends thousands of cells (212 targets ×
 * 19 checks on the page benchmark) as numbers once rather than as server-rendered markup twice (HTML and RSC payload).
 * Each cell is a plain link (next/link per cell would add a client component each).
 */
export function MatrixBody({ columns, rows }: { columns: string[]; rows: BodyRow[] }) {
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.checkId}>
          <th scope="row" className="sticky left-0 max-w-64 bg-white px-2 text-left font-normal">
            <Link href={`/checks/${row.checkId}`} className="hover:underline">
              {row.title}
            </Link>{" "}
            <SeverityBadge severity={row.severity} />
          </th>
          {columns.map((column, i) => {
            const cell = row.cells[i];
            if (!cell)
              return (
                <td key={column} className="min-w-20">
                  <span className="block px-2 text-right text-slate-400" title="not judged here">
                    –
                  </span>
                </td>
              );
            const [percent, change, failed, href] = cell;
            return (
              <td key={column} className="min-w-20">
                <a
                  href={href}
                  aria-label={`${row.title}, ${column}: ${percent}% compliant, ${failed} failing`}
                  data-failed={failed}
                  className={cn(
                    "block rounded px-2 py-1 text-right tabular-nums hover:outline-2 hover:outline-slate-900",
                    (SCALE.find((step) => percent >= step.min) ?? SCALE[3]).className,
                  )}
                >
                  <span className="font-semibold">{`${percent}%`}</span>
                  <span className="block text-[11px]">{`${changeText(change)} pt`}</span>
                </a>
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  );
}
