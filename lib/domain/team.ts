/**
 * A workload's team: its own `team` label, else its namespace's, else '' (SQL over a workload aliased `w`). One
 * expression for the rollups that trends read and the scope filter of live views, so both count the same rows.
 */
export const WORKLOAD_TEAM_SQL = `coalesce(nullif(w."labels"->>'team', ''), nullif(w."namespaceLabels"->>'team', ''), '')`;
