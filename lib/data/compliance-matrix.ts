import "server-only";
import { CHECK_CATALOG, type CheckMeta } from "@/lib/checks/catalog";
import { csvField } from "@/lib/format/csv";
import { getDb, Prisma } from "@/lib/db";
import type { Access } from "@/lib/scope/access-scope";
import { listDailyRollupsBy, listFirstDailyRollupsBy, type RollupKey } from "./rollup-history";
import { compliancePercent, windowDays, type TrendPoint } from "./trends";
import { accessSql, rollupColumns } from "./scope";

export const MATRIX_AXES = ["target", "team", "namespace"] as const;
export type MatrixAxis = (typeof MATRIX_AXES)[number];
/** The change column's window, as on the overview. */
export const MATRIX_CHANGE_DAYS = 30;

export interface MatrixCell {
  passed: number;
  failed: number;
  /** 0..100 (CHECKS.md: passing ÷ passed-or-failed), or null when no container was judged. */
  compliance: number | null;
  /** Points since the first day of the window with data; null without one. */
  change: number | null;
}

export interface MatrixRow {
  checkId: string;
  title: string;
  severity: CheckMeta["severity"];
  /** Keyed by column name. */
  cells: Record<string, MatrixCell>;
}

export interface ComplianceMatrix {
  by: MatrixAxis;
  /** Target, team or namespace names, sorted. */
  columns: string[];
  /** Catalog checks judged somewhere, in catalog order. */
  rows: MatrixRow[];
}

const KEY: Record<MatrixAxis, RollupKey> = { target: "targetId", team: "team", namespace: "namespace" };

interface AxisCell extends MatrixCell {
  column: string;
  checkId: string;
}

const cellKey = (column: string, checkId: string) => `${column}\u0000${checkId}`;

/**
 * Each check (or the one asked) × each target, team or namespace: the compliance over the current containers of that
 * column (the latest rollups, as the overview without a team filter), and its daily rollups over the window (all of
 * them, or only each cell's first day with data when `firstOnly`: the matrix needs no line), read as Trends reads
 * them. Containers without a team, and Docker hosts (no namespace), have no column in those views: the violations
 * filter cannot name "none".
 */
async function axisCells(
  by: MatrixAxis,
  window: readonly string[],
  now: Date,
  access: Access,
  options: { checkId?: string; firstOnly: boolean },
): Promise<{ cells: AxisCell[]; byCell: Map<string, Map<string, number | null>> }> {
  const { checkId } = options;
  const key = KEY[by];
  const column = key === "targetId" ? Prisma.sql`t."name"` : Prisma.sql`r.${Prisma.raw(`"${key}"`)}`;
  const onlyCheck = checkId === undefined ? Prisma.empty : Prisma.sql`AND r."checkId" = ${checkId}`;
  const read = options.firstOnly ? listFirstDailyRollupsBy : listDailyRollupsBy;
  const [latest, history, targets] = await Promise.all([
    getDb().$queryRaw<{ column: string; checkId: string; passed: bigint; failed: bigint }[]>`
      SELECT ${column} AS column, r."checkId", sum(r."passed")::bigint AS passed, sum(r."failed")::bigint AS failed
      FROM "RollupLatest" r JOIN "Target" t ON t."id" = r."targetId"
      WHERE TRUE ${accessSql(access, rollupColumns("r"))} ${onlyCheck}
      GROUP BY 1, 2`,
    read(key, checkId === undefined ? { access } : { access, checkId }, window, now),
    key === "targetId" ? getDb().target.findMany({ select: { id: true, name: true } }) : Promise.resolve([]),
  ]);
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const byCell = new Map<string, Map<string, number | null>>();
  for (const count of history) {
    const name = key === "targetId" ? names.get(count.key) : count.key;
    if (name === undefined) continue;
    const id = cellKey(name, count.checkId);
    const byDay = byCell.get(id) ?? new Map<string, number | null>();
    byDay.set(count.day, compliancePercent(count.passed, count.failed));
    byCell.set(id, byDay);
  }
  const cells: AxisCell[] = [];
  for (const row of latest) {
    if (row.column === "") continue;
    const passed = Number(row.passed);
    const failed = Number(row.failed);
    const compliance = compliancePercent(passed, failed);
    if (compliance === null) continue;
    const byDay = byCell.get(cellKey(row.column, row.checkId));
    const start = window.map((day) => byDay?.get(day) ?? null).find((value) => value !== null) ?? null;
    cells.push({
      column: row.column,
      checkId: row.checkId,
      passed,
      failed,
      compliance,
      change: start === null ? null : compliance - start,
    });
  }
  // With each cell's compliance on the window's days with data (by `cellKey`, then by day).
  return { cells: cells.sort((a, b) => a.column.localeCompare(b.column)), byCell };
}

/** Checks × targets, teams or namespaces (see `axisCells`), change over MATRIX_CHANGE_DAYS. */
export async function getComplianceMatrix(by: MatrixAxis, access: Access, now = new Date()): Promise<ComplianceMatrix> {
  const columns = new Set<string>();
  const cells = new Map<string, Record<string, MatrixCell>>();
  const { cells: all } = await axisCells(by, windowDays(MATRIX_CHANGE_DAYS, now), now, access, { firstOnly: true });
  for (const { column, checkId, passed, failed, compliance, change } of all) {
    columns.add(column);
    const byColumn = cells.get(checkId) ?? {};
    byColumn[column] = { passed, failed, compliance, change };
    cells.set(checkId, byColumn);
  }
  return {
    by,
    columns: [...columns],
    rows: CHECK_CATALOG.filter((check) => cells.has(check.id)).map((check) => ({
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      cells: cells.get(check.id) ?? {},
    })),
  };
}

export interface CheckBreakdownRow extends MatrixCell {
  /** Target or team name. */
  name: string;
  points: TrendPoint[];
}

/** One check per target or team: its matrix row with a line of daily compliance over `days`. */
export async function getCheckBreakdown(
  checkId: string,
  by: MatrixAxis,
  days: number,
  access: Access,
  now = new Date(),
): Promise<CheckBreakdownRow[]> {
  const window = windowDays(days, now);
  const { cells, byCell } = await axisCells(by, window, now, access, { checkId, firstOnly: false });
  return cells.map(({ column, checkId: _checkId, ...cell }) => {
    const byDay = byCell.get(cellKey(column, checkId));
    return { name: column, ...cell, points: window.map((day) => ({ day, value: byDay?.get(day) ?? null })) };
  });
}

/** The matrix as CSV, one line per cell that has data. */
export function complianceMatrixCsv(matrix: ComplianceMatrix): string {
  const lines = [`check,${matrix.by},passed,failed,compliance_percent,change_${MATRIX_CHANGE_DAYS}d_points`];
  for (const row of matrix.rows) {
    for (const column of matrix.columns) {
      const cell = row.cells[column];
      if (!cell || cell.compliance === null) continue;
      const change = cell.change === null ? "" : cell.change.toFixed(1);
      lines.push(
        [csvField(row.checkId), csvField(column), cell.passed, cell.failed, cell.compliance.toFixed(1), change].join(","),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
