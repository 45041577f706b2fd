export { createTarget } from "./create-target";
export { deleteTarget } from "./delete-target";
export { setEventStreamStatus, type EventStreamStatus } from "./event-stream";
export { leaseDueTargets, type LeasedTarget, type LeaseInput } from "./lease-due-targets";
export { pollTargetNow } from "./poll-target-now";
export { dropLease, nextRunAfter, releaseTarget } from "./release-target";
export { renewLease } from "./renew-lease";
export {
  targetInputSchema,
  targetUpdateSchema,
  type TargetInput,
  type TargetSummary,
  type TargetUpdate,
} from "./target-input";
export { setTargetEnabled, updateTarget } from "./update-target";
