import { cn } from "@/components/ui/cn";
import type { ComplianceMatrix, MatrixRow } from "@/lib/data/compliance-matrix";
import { MatrixBody } from "./matrix-body";
import { SCALE } from "./matrix-scale";
import { violationsHref } from "@/lib/scope/violation-query";

export interface MatrixSort {
  /** A column name; rows in catalog order without one. */
  column?: string;
  dir: "asc" | "desc";
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
          <MatrixBody
            columns={matrix.columns}
            rows={rows.map((row) => ({
              checkId: row.checkId,
              title: row.title,
              severity: row.severity,
              cells: matrix.columns.map((column) => {
                const cell = row.cells[column];
                if (!cell) return null;
                const href = violationsHref({ checkId: row.checkId, [matrix.by]: column });
                const change = cell.change === null ? null : Math.round(cell.change);
                return [Math.round(cell.compliance ?? 0), change, cell.failed, href];
              }),
            }))}
          />
        </table>
      </div>
    </div>
  );
}
