-- Rollups per team as well as per namespace, so trends and the 30-day change can be scoped to a team. A workload's
-- team is its own `team` label, else its namespace's; rows written before this carry '' and are superseded by the
-- next run of their target (a key that disappears is written as 0/0).
ALTER TABLE "RunRollup" ADD COLUMN "team" TEXT NOT NULL DEFAULT '';
DROP INDEX "RunRollup_targetId_namespace_checkId_at_idx";
CREATE INDEX "RunRollup_targetId_namespace_team_checkId_at_idx" ON "RunRollup"("targetId", "namespace", "team", "checkId", "at");
