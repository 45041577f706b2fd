export { analyzeGrownTables } from "./analyze-grown";
export { pruneGone, type PruneGoneResult } from "./prune-gone";
export { pruneRuns } from "./prune-runs";
export { runMaintenance, type MaintenanceOptions, type MaintenanceResult } from "./run-maintenance";
