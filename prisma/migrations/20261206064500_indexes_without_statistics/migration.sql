-- A first poll inserts a target's rows faster than autovacuum analyzes them, so the planner judged the next
-- targets with empty statistics: it intersected the "open" half of Finding's status index (498k entries) with each
-- container's findings, 12.8 s per target rollup at 100,000 containers. With one index serving both conditions the
-- same query takes 67 ms, statistics or not.
DROP INDEX "Finding_containerId_idx";
CREATE INDEX "Finding_containerId_status_idx" ON "Finding"("containerId", "status");

-- Nearly every row is current (goneAt IS NULL): an index of all rows only tempts the planner to scan it for the
-- current ones. Pruning looks for gone rows alone, which a partial index serves (Prisma's schema cannot say "partial").
DROP INDEX "Container_goneAt_idx";
CREATE INDEX "Container_goneAt_idx" ON "Container"("goneAt") WHERE "goneAt" IS NOT NULL;
DROP INDEX "Workload_goneAt_idx";
CREATE INDEX "Workload_goneAt_idx" ON "Workload"("goneAt") WHERE "goneAt" IS NOT NULL;
