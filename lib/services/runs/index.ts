export { failRun } from "./fail-run";
export { recordRun, type RecordRunInput, type RecordRunResult } from "./record-run";
export { startRun } from "./start-run";
export { compactRollups } from "./compact-rollups";
