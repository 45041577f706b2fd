import Link from "next/link";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { cn } from "@/components/ui/cn";
import type { ComplianceMatrix, MatrixCell, MatrixRow } from "@/lib/data/compliance-matrix";
import { violationsHref } from "@/lib/scope/violation-query";

export interface MatrixSort {
  /** A column name; rows in catalog order without one. */
  column?: string;
  dir: "asc" | "desc";
}

/** One hue, four lightness steps (darker = more compliant); the number is always printed, so colour only repeats it. */
const SCALE = [
  { min: 95, className: "bg-emerald-700 text-white", label: "95–100%" },
  { min: 80, className: "bg-emerald-300 text-emerald-950", label: "80–94%" },
  { min: 50, className: "bg-emerald-100 text-emerald-950", label: "50–79%" },
  { min: 0, className: "bg-white text-slate-900", label: "under 50%" },
] as const;

function tone(compliance: number): string {
  return (SCALE.find((step) => Math.round(compliance) >= step.min) ?? SCALE[3]).className;
}

function changeText(change: number | null): string {
  if (change === null) return "–";
  const rounded = Math.round(change);
  return rounded > 0 ? `▲ ${rounded}` : rounded < 0 ? `▼ ${-rounded}` : "±0";
}

export function sortRows(rows: MatrixRow[], sort: MatrixSort): MatrixRow[] {
  const { column } = sort;
  if (!column) return rows;
  const sign = sort.dir === "asc" ? 1 : -1;
  // Cells without data go last either way.
  const value = (row: MatrixRow) => row.cells[column]?.compliance ?? null;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y) || a.checkId.localeCompare(b.checkId);
  });
}

/**
 * A plain link, not next/link: a matrix has thousands of cells (212 targets × 19 checks on the page benchmark), and a
 * client component per cell made the page's payload and server render several times larger. One text node per number.
 */
function Cell({ cell, href, label }: { cell: MatrixCell; href: string; label: string }) {
  const compliance = cell.compliance ?? 0;
  return (
    <a
      href={href}
      aria-label={label}
      data-failed={cell.failed}
      className={cn(
        "block rounded px-2 py-1 text-right tabular-nums hover:outline-2 hover:outline-slate-900",
        tone(compliance),
      )}
    >
      <span className="font-semibold">{`${Math.round(compliance)}%`}</span>
      <span className="block text-[11px]">{`${changeText(cell.change)} pt`}</span>
    </a>
  );
}

/** Checks as rows, the chosen axis as columns; every cell links to the violations that make its failures. */
export function ComplianceMatrixTable({
  matrix,
  sort,
  sortHref,
  days,
}: {
  matrix: ComplianceMatrix;
  sort: MatrixSort;
  sortHref: (column: string, dir: "asc" | "desc") => string;
  days: number;
}) {
  const rows = sortRows(matrix.rows, sort);
  return (
    <div className="space-y-3">
      <ul aria-label="Colour scale" className="flex flex-wrap gap-2 text-xs">
        {SCALE.map((step) => (
          <li key={step.min} className={cn("rounded border border-slate-300 px-2 py-0.5", step.className)}>
            {step.label}
          </li>
        ))}
        <li className="px-1 py-0.5 text-slate-600">▲/▼ percentage points over {days} days</li>
      </ul>
      <div
        className="max-w-full overflow-x-auto rounded-lg border border-slate-200 bg-white"
        data-testid="matrix-scroll"
      >
        <table className="w-max min-w-full border-separate border-spacing-1 text-sm">
          <caption className="sr-only">Compliance per check and {matrix.by}</caption>
          <thead className="text-xs text-slate-600">
            <tr>
              <th scope="col" className="sticky left-0 bg-white px-2 text-left font-medium">
                Check
              </th>
              {matrix.columns.map((column) => {
                const active = sort.column === column;
                const next = active && sort.dir === "asc" ? "desc" : "asc";
                return (
                  <th
                    key={column}
                    scope="col"
                    className="px-2 text-right font-medium"
                    aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    <a href={sortHref(column, next)} className="hover:underline" title={`Sort by ${column}`}>
                      {`${column}${active ? (sort.dir === "asc" ? " ↑" : " ↓") : ""}`}
                    </a>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.checkId}>
                <th scope="row" className="sticky left-0 max-w-64 bg-white px-2 text-left font-normal">
                  <Link href={`/checks/${row.checkId}`} className="hover:underline">
                    {row.title}
                  </Link>{" "}
                  <SeverityBadge severity={row.severity} />
                </th>
                {matrix.columns.map((column) => {
                  const cell = row.cells[column];
                  return (
                    <td key={column} className="min-w-20">
                      {cell ? (
                        <Cell
                          cell={cell}
                          href={violationsHref({ checkId: row.checkId, [matrix.by]: column })}
                          label={`${row.title}, ${column}: ${Math.round(cell.compliance ?? 0)}% compliant, ${cell.failed} failing`}
                        />
                      ) : (
                        <span className="block px-2 text-right text-slate-400" title="not judged here">
                          –
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
