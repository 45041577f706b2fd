-- Per-workload totals the overview, the targets list and the riskiest workloads read instead of scanning every
-- container and finding (lib/data/workload-summary.ts says what each column is and who reads it). Kept exact by
-- the statement triggers below, in the same transaction as the rows they count, whoever writes those rows.
CREATE TABLE "WorkloadSummary" (
    "workloadId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "current" BOOLEAN NOT NULL,
    "containers" INTEGER NOT NULL DEFAULT 0,
    "scored" INTEGER NOT NULL DEFAULT 0,
    "scoreSum" NUMERIC NOT NULL DEFAULT 0,
    "openCritical" INTEGER NOT NULL DEFAULT 0,
    "openHigh" INTEGER NOT NULL DEFAULT 0,
    "openMedium" INTEGER NOT NULL DEFAULT 0,
    "openLow" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkloadSummary_pkey" PRIMARY KEY ("workloadId"),
    CONSTRAINT "WorkloadSummary_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "WorkloadSummary_targetId_namespace_idx" ON "WorkloadSummary"("targetId", "namespace");
-- The riskiest workloads: most open critical findings, then the lowest mean score.
CREATE INDEX "WorkloadSummary_risk_idx" ON "WorkloadSummary"("openCritical" DESC, ("scoreSum" / "scored"))
    WHERE "current" AND "scored" > 0;

-- Recomputes the rows of these workloads from their containers and findings (after deletes, and to fill the table).
CREATE FUNCTION "workload_summary_recompute"(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO "WorkloadSummary" AS s ("workloadId", "targetId", "namespace", "team", "current", "containers",
        "scored", "scoreSum", "openCritical", "openHigh", "openMedium", "openLow")
    SELECT w."id", w."targetId", w."namespace",
        coalesce(nullif(w."labels"->>'team', ''), nullif(w."namespaceLabels"->>'team', ''), ''), w."goneAt" IS NULL,
        coalesce(c.containers, 0), coalesce(c.scored, 0), coalesce(c."scoreSum", 0),
        coalesce(f.critical, 0), coalesce(f.high, 0), coalesce(f.medium, 0), coalesce(f.low, 0)
    FROM "Workload" w
    LEFT JOIN LATERAL (
        SELECT count(*)::int AS containers, count(c."score")::int AS scored, coalesce(sum(c."score"::numeric), 0) AS "scoreSum"
        FROM "Container" c WHERE c."workloadId" = w."id" AND c."goneAt" IS NULL
    ) c ON TRUE
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE f."severity" = 'critical')::int AS critical,
            count(*) FILTER (WHERE f."severity" = 'high')::int AS high,
            count(*) FILTER (WHERE f."severity" = 'medium')::int AS medium,
            count(*) FILTER (WHERE f."severity" = 'low')::int AS low
        FROM "Container" c JOIN "Finding" f ON f."containerId" = c."id" AND f."status" = 'open'
        WHERE c."workloadId" = w."id"
    ) f ON TRUE
    WHERE w."id" = ANY(ids)
    ON CONFLICT ("workloadId") DO UPDATE SET "targetId" = EXCLUDED."targetId", "namespace" = EXCLUDED."namespace",
        "team" = EXCLUDED."team", "current" = EXCLUDED."current", "containers" = EXCLUDED."containers",
        "scored" = EXCLUDED."scored", "scoreSum" = EXCLUDED."scoreSum", "openCritical" = EXCLUDED."openCritical",
        "openHigh" = EXCLUDED."openHigh", "openMedium" = EXCLUDED."openMedium", "openLow" = EXCLUDED."openLow";
$$;

-- Workloads: a new one gets its row; a changed one its key (team from its labels, as WORKLOAD_TEAM_SQL) and
-- whether it is current. Deleting one deletes its row (the foreign key).
CREATE FUNCTION "workload_summary_workloads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "WorkloadSummary" AS s ("workloadId", "targetId", "namespace", "team", "current")
    SELECT w."id", w."targetId", w."namespace",
        coalesce(nullif(w."labels"->>'team', ''), nullif(w."namespaceLabels"->>'team', ''), ''), w."goneAt" IS NULL
    FROM changed_new w
    ON CONFLICT ("workloadId") DO UPDATE SET "targetId" = EXCLUDED."targetId", "namespace" = EXCLUDED."namespace",
        "team" = EXCLUDED."team", "current" = EXCLUDED."current"
    WHERE (s."targetId", s."namespace", s."team", s."current")
        IS DISTINCT FROM (EXCLUDED."targetId", EXCLUDED."namespace", EXCLUDED."team", EXCLUDED."current");
    RETURN NULL;
END
$$;

CREATE TRIGGER "Workload_summary_inserted" AFTER INSERT ON "Workload"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_workloads"();
CREATE TRIGGER "Workload_summary_updated" AFTER UPDATE ON "Workload"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_workloads"();

-- Containers: current ones (goneAt null) count, with their scores (a sum of exact numerics, so adding and taking away
-- the same score leaves nothing behind). A delete recomputes its workloads: the findings it cascades to can no longer
-- be traced to them. Each branch reads only the transition tables its trigger has.
CREATE FUNCTION "workload_summary_containers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE "WorkloadSummary" s SET "containers" = s."containers" + d.containers, "scored" = s."scored" + d.scored,
            "scoreSum" = s."scoreSum" + d."scoreSum"
        FROM (
            SELECT "workloadId", sum(sign)::int AS containers, coalesce(sum(sign) FILTER (WHERE "score" IS NOT NULL), 0)::int AS scored,
                coalesce(sum(sign * "score"::numeric), 0) AS "scoreSum"
            FROM (SELECT "workloadId", 1 AS sign, "score" FROM changed_new WHERE "goneAt" IS NULL) signed GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.containers, d.scored, d."scoreSum") <> (0, 0, 0::numeric);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE "WorkloadSummary" s SET "containers" = s."containers" + d.containers, "scored" = s."scored" + d.scored,
            "scoreSum" = s."scoreSum" + d."scoreSum"
        FROM (
            SELECT "workloadId", sum(sign)::int AS containers, coalesce(sum(sign) FILTER (WHERE "score" IS NOT NULL), 0)::int AS scored,
                coalesce(sum(sign * "score"::numeric), 0) AS "scoreSum"
            FROM (SELECT "workloadId", 1 AS sign, "score" FROM changed_new WHERE "goneAt" IS NULL
                UNION ALL SELECT "workloadId", -1 AS sign, "score" FROM changed_old WHERE "goneAt" IS NULL) signed GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.containers, d.scored, d."scoreSum") <> (0, 0, 0::numeric);
    ELSE
        PERFORM "workload_summary_recompute"(ARRAY(SELECT DISTINCT "workloadId" FROM changed_old));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Container_summary_inserted" AFTER INSERT ON "Container"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_containers"();
CREATE TRIGGER "Container_summary_updated" AFTER UPDATE ON "Container"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_containers"();
CREATE TRIGGER "Container_summary_deleted" AFTER DELETE ON "Container"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_containers"();

-- Findings: open ones count per severity, on their container's workload. A finding whose container is deleted in
-- the same statement is left to that container's trigger (above).
CREATE FUNCTION "workload_summary_findings"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low
            FROM (SELECT "containerId", "severity", 1 AS sign FROM changed_new WHERE "status" = 'open') f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low) <> (0, 0, 0, 0);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low
            FROM (SELECT "containerId", "severity", 1 AS sign FROM changed_new WHERE "status" = 'open'
                UNION ALL SELECT "containerId", "severity", -1 AS sign FROM changed_old WHERE "status" = 'open') f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low) <> (0, 0, 0, 0);
    ELSE
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low
            FROM (SELECT "containerId", "severity", -1 AS sign FROM changed_old WHERE "status" = 'open') f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low) <> (0, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Finding_summary_inserted" AFTER INSERT ON "Finding"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_findings"();
CREATE TRIGGER "Finding_summary_updated" AFTER UPDATE ON "Finding"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_findings"();
CREATE TRIGGER "Finding_summary_deleted" AFTER DELETE ON "Finding"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "workload_summary_findings"();

-- The same totals per target × namespace × team (the keys of the scope filter and of access scopes, as rollups), for
-- reads over a whole scope: a few hundred rows, not one per workload. Containers and scores count current workloads
-- only; open findings count every workload (as the violations page does). Kept from WorkloadSummary's changes.
CREATE TABLE "ScopeSummary" (
    "targetId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "workloads" INTEGER NOT NULL DEFAULT 0,
    "containers" INTEGER NOT NULL DEFAULT 0,
    "scored" INTEGER NOT NULL DEFAULT 0,
    "scoreSum" NUMERIC NOT NULL DEFAULT 0,
    "openCritical" INTEGER NOT NULL DEFAULT 0,
    "openHigh" INTEGER NOT NULL DEFAULT 0,
    "openMedium" INTEGER NOT NULL DEFAULT 0,
    "openLow" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScopeSummary_pkey" PRIMARY KEY ("targetId", "namespace", "team"),
    CONSTRAINT "ScopeSummary_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Signed WorkloadSummary rows added per key. Rows going away only lower existing keys (a target being deleted has
-- already lost its keys); rows coming in may start a key.
CREATE FUNCTION "scope_summary_workloads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE "ScopeSummary" t SET "workloads" = t."workloads" - d.workloads, "containers" = t."containers" - d.containers,
            "scored" = t."scored" - d.scored, "scoreSum" = t."scoreSum" - d."scoreSum",
            "openCritical" = t."openCritical" - d.critical, "openHigh" = t."openHigh" - d.high,
            "openMedium" = t."openMedium" - d.medium, "openLow" = t."openLow" - d.low
        FROM (
            SELECT "targetId", "namespace", "team", count(*) FILTER (WHERE "current")::int AS workloads,
                coalesce(sum("containers") FILTER (WHERE "current"), 0)::int AS containers,
                coalesce(sum("scored") FILTER (WHERE "current"), 0)::int AS scored,
                coalesce(sum("scoreSum") FILTER (WHERE "current"), 0) AS "scoreSum",
                sum("openCritical")::int AS critical, sum("openHigh")::int AS high, sum("openMedium")::int AS medium,
                sum("openLow")::int AS low
            FROM changed_old GROUP BY 1, 2, 3
        ) d
        WHERE t."targetId" = d."targetId" AND t."namespace" = d."namespace" AND t."team" = d."team";
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "ScopeSummary" AS t ("targetId", "namespace", "team", "workloads", "containers", "scored", "scoreSum",
            "openCritical", "openHigh", "openMedium", "openLow")
        SELECT "targetId", "namespace", "team", coalesce(sum(sign) FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "containers") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scored") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scoreSum") FILTER (WHERE "current"), 0),
            sum(sign * "openCritical")::int, sum(sign * "openHigh")::int, sum(sign * "openMedium")::int, sum(sign * "openLow")::int
        FROM (SELECT 1 AS sign, * FROM changed_new) signed
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT ("targetId", "namespace", "team") DO UPDATE SET "workloads" = t."workloads" + EXCLUDED."workloads",
            "containers" = t."containers" + EXCLUDED."containers", "scored" = t."scored" + EXCLUDED."scored",
            "scoreSum" = t."scoreSum" + EXCLUDED."scoreSum", "openCritical" = t."openCritical" + EXCLUDED."openCritical",
            "openHigh" = t."openHigh" + EXCLUDED."openHigh", "openMedium" = t."openMedium" + EXCLUDED."openMedium",
            "openLow" = t."openLow" + EXCLUDED."openLow";
    ELSE
        INSERT INTO "ScopeSummary" AS t ("targetId", "namespace", "team", "workloads", "containers", "scored", "scoreSum",
            "openCritical", "openHigh", "openMedium", "openLow")
        SELECT "targetId", "namespace", "team", coalesce(sum(sign) FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "containers") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scored") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scoreSum") FILTER (WHERE "current"), 0),
            sum(sign * "openCritical")::int, sum(sign * "openHigh")::int, sum(sign * "openMedium")::int, sum(sign * "openLow")::int
        FROM (SELECT 1 AS sign, * FROM changed_new UNION ALL SELECT -1, * FROM changed_old) signed
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT ("targetId", "namespace", "team") DO UPDATE SET "workloads" = t."workloads" + EXCLUDED."workloads",
            "containers" = t."containers" + EXCLUDED."containers", "scored" = t."scored" + EXCLUDED."scored",
            "scoreSum" = t."scoreSum" + EXCLUDED."scoreSum", "openCritical" = t."openCritical" + EXCLUDED."openCritical",
            "openHigh" = t."openHigh" + EXCLUDED."openHigh", "openMedium" = t."openMedium" + EXCLUDED."openMedium",
            "openLow" = t."openLow" + EXCLUDED."openLow";
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "WorkloadSummary_scope_inserted" AFTER INSERT ON "WorkloadSummary"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "scope_summary_workloads"();
CREATE TRIGGER "WorkloadSummary_scope_updated" AFTER UPDATE ON "WorkloadSummary"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "scope_summary_workloads"();
CREATE TRIGGER "WorkloadSummary_scope_deleted" AFTER DELETE ON "WorkloadSummary"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "scope_summary_workloads"();

-- Every workload there is now (its rows start the scope totals through the triggers above).
SELECT "workload_summary_recompute"(ARRAY(SELECT "id" FROM "Workload"));
ANALYZE "WorkloadSummary";
ANALYZE "ScopeSummary";
