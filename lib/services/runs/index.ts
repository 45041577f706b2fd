export { failInterruptedRuns, failRun, INTERRUPTED_RUN_MESSAGE } from "./fail-run";
export { recordRun, type RecordRunInput, type RecordRunResult } from "./record-run";
export { RunRecorder, StoredBatch } from "./run-recorder";
export { describeRunError, displayRunError, STORE_FAILED_MESSAGE } from "./run-error";
export { startRun } from "./start-run";
export { compactRollups } from "./compact-rollups";
