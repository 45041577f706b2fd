-- The violations label filter: GIN indexes answer `labels @> '{"k":"v"}'` and `labels ? 'k'`. With `->>`
-- comparisons (no index) a label matching nothing walked every open finding: 4.6 s at 100,000 containers
-- against 0.2 ms with `@>` and these indexes (lib/bench/fleet.ts, EXPLAIN ANALYZE).
CREATE INDEX "Workload_labels_idx" ON "Workload" USING GIN ("labels");
CREATE INDEX "Workload_namespaceLabels_idx" ON "Workload" USING GIN ("namespaceLabels");
