-- Cost follows change (issue 16): last-seen comes from the target's last complete run, so no row is touched
-- per poll; a workload row is rewritten only when its state hash changes; rollups are written only when a
-- (target, namespace, check) count changes and read "as of" a time, so the latest row per key is what counts.
ALTER TABLE "Workload" ADD COLUMN "stateHash" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Workload" DROP COLUMN "lastSeenAt";
DROP INDEX "Container_lastSeenAt_idx";
ALTER TABLE "Container" DROP COLUMN "lastSeenAt";
DROP INDEX "RunRollup_targetId_at_idx";
CREATE INDEX "RunRollup_targetId_namespace_checkId_at_idx" ON "RunRollup"("targetId", "namespace", "checkId", "at");
