import type { ContainerRow } from "./container-rows";

export interface RollupRow {
  runId: string;
  targetId: string;
  namespace: string;
  checkId: string;
  passed: number;
  failed: number;
  at: Date;
}

/** Pass/fail per namespace × check; excepted failures are left out of both, as in the score formulas. */
export function rollupRows(
  input: { runId: string; targetId: string },
  containers: ContainerRow[],
  at: Date,
): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const container of containers) {
    for (const result of container.results) {
      const counted = result.status === "pass" || (result.status === "fail" && !result.excepted);
      if (!counted) continue;
      const key = JSON.stringify([container.namespace, result.id]);
      let row = rows.get(key);
      if (!row) {
        row = { ...input, namespace: container.namespace, checkId: result.id, passed: 0, failed: 0, at };
        rows.set(key, row);
      }
      if (result.status === "pass") row.passed += 1;
      else row.failed += 1;
    }
  }
  return [...rows.values()];
}
