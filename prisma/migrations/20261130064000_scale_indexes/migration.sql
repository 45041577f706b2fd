-- Indexes for the violations page filters and for bounded storage (issue 7).

-- The default violations order (most severe first, newest first) read straight from an index, so page 1 of
-- 500,000 open findings needs no sort. The expression must stay identical to RANK_SQL in lib/data/violations.ts.
CREATE INDEX "Finding_status_rank_firstSeenAt_idx" ON "Finding"(
  "status",
  (CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END),
  "firstSeenAt" DESC,
  "id"
);

-- Sorting by last seen, and pruning resolved findings by age.
CREATE INDEX "Finding_status_lastSeenAt_idx" ON "Finding"("status", "lastSeenAt");

-- Namespace and workload filters start from the workload.
CREATE INDEX "Workload_namespace_name_idx" ON "Workload"("namespace", "name");

-- Pruning of gone containers and workloads.
CREATE INDEX "Container_goneAt_idx" ON "Container"("goneAt");
CREATE INDEX "Workload_goneAt_idx" ON "Workload"("goneAt");

-- Cascading deletes of runs and the trends' join on runId need it; without it each deleted run scans every rollup.
CREATE INDEX "RunRollup_runId_idx" ON "RunRollup"("runId");

-- Pruning old runs by age across targets.
CREATE INDEX "CollectionRun_startedAt_idx" ON "CollectionRun"("startedAt");
