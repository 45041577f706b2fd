-- Namespace labels (team, owner, Pod Security labels) kept per workload for filters.
ALTER TABLE "Workload" ADD COLUMN "namespaceLabels" JSONB NOT NULL DEFAULT '{}';
