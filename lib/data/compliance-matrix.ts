import "server-only";
import { CHECK_CATALOG, type CheckMeta } from "@/lib/checks/catalog";
import { csvField } from "@/lib/format/csv";
import { getDb, Prisma } from "@/lib/db";
import { listDailyRollupsBy, type RollupKey } from "./rollup-history";
import { compliancePercent, windowDays } from "./trends";

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

/**
 * Checks × targets, teams or namespaces: each cell the compliance of the check over the current containers of that
 * column (the latest rollups, as the overview without a team filter) and its change over 30 days (the daily rollups,
 * carried forward, as the overview's change). Containers without a team, and Docker hosts (no namespace), have no
 * column in those views: the violations filter cannot name "none".
 */
export async function getComplianceMatrix(by: MatrixAxis, now = new Date()): Promise<ComplianceMatrix> {
  const key = KEY[by];
  const column = key === "targetId" ? Prisma.sql`t."name"` : Prisma.sql`r.${Prisma.raw(`"${key}"`)}`;
  const [latest, history, targets] = await Promise.all([
    getDb().$queryRaw<{ column: string; checkId: string; passed: bigint; failed: bigint }[]>`
      SELECT ${column} AS column, r."checkId", sum(r."passed")::bigint AS passed, sum(r."failed")::bigint AS failed
      FROM "RollupLatest" r JOIN "Target" t ON t."id" = r."targetId"
      GROUP BY 1, 2`,
    listDailyRollupsBy(key, {}, windowDays(MATRIX_CHANGE_DAYS, now), now),
    key === "targetId" ? getDb().target.findMany({ select: { id: true, name: true } }) : Promise.resolve([]),
  ]);
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const baseline = new Map<string, number>();
  for (const count of history) {
    const name = key === "targetId" ? names.get(count.key) : count.key;
    const series = `${name}\u0000${count.checkId}`;
    const value = compliancePercent(count.passed, count.failed);
    if (name !== undefined && value !== null && !baseline.has(series)) baseline.set(series, value);
  }
  const columns = new Set<string>();
  const cells = new Map<string, Record<string, MatrixCell>>();
  for (const row of latest) {
    if (row.column === "") continue;
    const passed = Number(row.passed);
    const failed = Number(row.failed);
    const compliance = compliancePercent(passed, failed);
    if (compliance === null) continue;
    const start = baseline.get(`${row.column}\u0000${row.checkId}`);
    columns.add(row.column);
    const byColumn = cells.get(row.checkId) ?? {};
    byColumn[row.column] = { passed, failed, compliance, change: start === undefined ? null : compliance - start };
    cells.set(row.checkId, byColumn);
  }
  return {
    by,
    columns: [...columns].sort((a, b) => a.localeCompare(b)),
    rows: CHECK_CATALOG.filter((check) => cells.has(check.id)).map((check) => ({
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      cells: cells.get(check.id) ?? {},
    })),
  };
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
