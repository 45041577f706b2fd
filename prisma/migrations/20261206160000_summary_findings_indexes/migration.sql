-- Every finding (any status) counted per workload and scope, so "opened in the window" (getFindingActivity in
-- lib/data/overview.ts) can count the findings first seen outside the window and take them from all of them when
-- that side is the smaller one; the functions of 20261206153000_workload_summary count them too.
ALTER TABLE "WorkloadSummary" ADD COLUMN "findings" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ScopeSummary" ADD COLUMN "findings" INTEGER NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION "workload_summary_recompute"(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO "WorkloadSummary" AS s ("workloadId", "targetId", "namespace", "team", "current", "containers",
        "scored", "scoreSum", "openCritical", "openHigh", "openMedium", "openLow", "findings")
    SELECT w."id", w."targetId", w."namespace",
        coalesce(nullif(w."labels"->>'team', ''), nullif(w."namespaceLabels"->>'team', ''), ''), w."goneAt" IS NULL,
        coalesce(c.containers, 0), coalesce(c.scored, 0), coalesce(c."scoreSum", 0),
        coalesce(f.critical, 0), coalesce(f.high, 0), coalesce(f.medium, 0), coalesce(f.low, 0), coalesce(n.findings, 0)
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
    LEFT JOIN LATERAL (
        SELECT count(*)::int AS findings FROM "Container" c JOIN "Finding" f ON f."containerId" = c."id" WHERE c."workloadId" = w."id"
    ) n ON TRUE
    WHERE w."id" = ANY(ids)
    ON CONFLICT ("workloadId") DO UPDATE SET "targetId" = EXCLUDED."targetId", "namespace" = EXCLUDED."namespace",
        "team" = EXCLUDED."team", "current" = EXCLUDED."current", "containers" = EXCLUDED."containers",
        "scored" = EXCLUDED."scored", "scoreSum" = EXCLUDED."scoreSum", "openCritical" = EXCLUDED."openCritical",
        "openHigh" = EXCLUDED."openHigh", "openMedium" = EXCLUDED."openMedium", "openLow" = EXCLUDED."openLow", "findings" = EXCLUDED."findings";
$$;

CREATE OR REPLACE FUNCTION "workload_summary_findings"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low, "findings" = s."findings" + d.findings
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low,
                coalesce(sum(sign) FILTER (WHERE f.counted), 0)::int AS findings
            FROM (SELECT "containerId", CASE WHEN "status" = 'open' THEN "severity" END AS "severity", 1 AS sign, TRUE AS counted FROM changed_new) f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low, d.findings) <> (0, 0, 0, 0, 0);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low, "findings" = s."findings" + d.findings
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low,
                coalesce(sum(sign) FILTER (WHERE f.counted), 0)::int AS findings
            FROM (SELECT "containerId", "severity", 1 AS sign, FALSE AS counted FROM changed_new WHERE "status" = 'open'
                UNION ALL SELECT "containerId", "severity", -1 AS sign, FALSE AS counted FROM changed_old WHERE "status" = 'open') f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low, d.findings) <> (0, 0, 0, 0, 0);
    ELSE
        UPDATE "WorkloadSummary" s SET "openCritical" = s."openCritical" + d.critical, "openHigh" = s."openHigh" + d.high,
            "openMedium" = s."openMedium" + d.medium, "openLow" = s."openLow" + d.low, "findings" = s."findings" + d.findings
        FROM (
            SELECT c."workloadId", coalesce(sum(sign) FILTER (WHERE f."severity" = 'critical'), 0)::int AS critical,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'high'), 0)::int AS high,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'medium'), 0)::int AS medium,
                coalesce(sum(sign) FILTER (WHERE f."severity" = 'low'), 0)::int AS low,
                coalesce(sum(sign) FILTER (WHERE f.counted), 0)::int AS findings
            FROM (SELECT "containerId", CASE WHEN "status" = 'open' THEN "severity" END AS "severity", -1 AS sign, TRUE AS counted FROM changed_old) f JOIN "Container" c ON c."id" = f."containerId"
            GROUP BY 1
        ) d
        WHERE s."workloadId" = d."workloadId" AND (d.critical, d.high, d.medium, d.low, d.findings) <> (0, 0, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "scope_summary_workloads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE "ScopeSummary" t SET "workloads" = t."workloads" - d.workloads, "containers" = t."containers" - d.containers,
            "scored" = t."scored" - d.scored, "scoreSum" = t."scoreSum" - d."scoreSum",
            "openCritical" = t."openCritical" - d.critical, "openHigh" = t."openHigh" - d.high,
            "openMedium" = t."openMedium" - d.medium, "openLow" = t."openLow" - d.low, "findings" = t."findings" - d.findings
        FROM (
            SELECT "targetId", "namespace", "team", count(*) FILTER (WHERE "current")::int AS workloads,
                coalesce(sum("containers") FILTER (WHERE "current"), 0)::int AS containers,
                coalesce(sum("scored") FILTER (WHERE "current"), 0)::int AS scored,
                coalesce(sum("scoreSum") FILTER (WHERE "current"), 0) AS "scoreSum",
                sum("openCritical")::int AS critical, sum("openHigh")::int AS high, sum("openMedium")::int AS medium,
                sum("openLow")::int AS low, sum("findings")::int AS findings
            FROM changed_old GROUP BY 1, 2, 3
        ) d
        WHERE t."targetId" = d."targetId" AND t."namespace" = d."namespace" AND t."team" = d."team";
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "ScopeSummary" AS t ("targetId", "namespace", "team", "workloads", "containers", "scored", "scoreSum",
            "openCritical", "openHigh", "openMedium", "openLow", "findings")
        SELECT "targetId", "namespace", "team", coalesce(sum(sign) FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "containers") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scored") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scoreSum") FILTER (WHERE "current"), 0),
            sum(sign * "openCritical")::int, sum(sign * "openHigh")::int, sum(sign * "openMedium")::int, sum(sign * "openLow")::int,
            sum(sign * "findings")::int
        FROM (SELECT 1 AS sign, * FROM changed_new) signed
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT ("targetId", "namespace", "team") DO UPDATE SET "workloads" = t."workloads" + EXCLUDED."workloads",
            "containers" = t."containers" + EXCLUDED."containers", "scored" = t."scored" + EXCLUDED."scored",
            "scoreSum" = t."scoreSum" + EXCLUDED."scoreSum", "openCritical" = t."openCritical" + EXCLUDED."openCritical",
            "openHigh" = t."openHigh" + EXCLUDED."openHigh", "openMedium" = t."openMedium" + EXCLUDED."openMedium",
            "openLow" = t."openLow" + EXCLUDED."openLow", "findings" = t."findings" + EXCLUDED."findings";
    ELSE
        INSERT INTO "ScopeSummary" AS t ("targetId", "namespace", "team", "workloads", "containers", "scored", "scoreSum",
            "openCritical", "openHigh", "openMedium", "openLow", "findings")
        SELECT "targetId", "namespace", "team", coalesce(sum(sign) FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "containers") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scored") FILTER (WHERE "current"), 0)::int,
            coalesce(sum(sign * "scoreSum") FILTER (WHERE "current"), 0),
            sum(sign * "openCritical")::int, sum(sign * "openHigh")::int, sum(sign * "openMedium")::int, sum(sign * "openLow")::int,
            sum(sign * "findings")::int
        FROM (SELECT 1 AS sign, * FROM changed_new UNION ALL SELECT -1, * FROM changed_old) signed
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT ("targetId", "namespace", "team") DO UPDATE SET "workloads" = t."workloads" + EXCLUDED."workloads",
            "containers" = t."containers" + EXCLUDED."containers", "scored" = t."scored" + EXCLUDED."scored",
            "scoreSum" = t."scoreSum" + EXCLUDED."scoreSum", "openCritical" = t."openCritical" + EXCLUDED."openCritical",
            "openHigh" = t."openHigh" + EXCLUDED."openHigh", "openMedium" = t."openMedium" + EXCLUDED."openMedium",
            "openLow" = t."openLow" + EXCLUDED."openLow", "findings" = t."findings" + EXCLUDED."findings";
    END IF;
    RETURN NULL;
END
$$;

SELECT "workload_summary_recompute"(ARRAY(SELECT "id" FROM "Workload"));

-- Findings first seen in a window, and events in one (finding activity, the audit report's changes).
CREATE INDEX "Finding_firstSeenAt_idx" ON "Finding"("firstSeenAt");
CREATE INDEX "FindingEvent_kind_at_idx" ON "FindingEvent"("kind", "at");
-- Open findings of one check in the violations order (RANK_SQL of lib/data/violations.ts, newest first), with their
-- containers: a check's filtered page, its counts per severity and its failing workloads read from the index alone.
CREATE INDEX "Finding_open_checkId_rank_idx" ON "Finding"(
  "checkId",
  "severity",
  (CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END),
  "firstSeenAt" DESC,
  "id"
) INCLUDE ("containerId") WHERE "status" = 'open';
-- Current containers' workloads without reading the containers' wide rows (stored results).
CREATE INDEX "Container_current_id_workloadId_idx" ON "Container"("id") INCLUDE ("workloadId") WHERE "goneAt" IS NULL;
-- Each target's last successful poll (the targets list), one probe per target.
CREATE INDEX "CollectionRun_succeeded_targetId_finishedAt_idx" ON "CollectionRun"("targetId", "finishedAt")
    WHERE "status" IN ('succeeded', 'partial');
-- Workloads with a Pod Security verdict (Kubernetes only): Docker fleets have none, so the overview reads nothing.
CREATE INDEX "Workload_podSecurity_targetId_idx" ON "Workload"("targetId")
    WHERE "goneAt" IS NULL AND "podSecurity" IS NOT NULL AND jsonb_typeof("podSecurity") = 'object';
