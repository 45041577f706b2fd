-- Vulnerability reach kept per scope key as groups, not per vulnerability. Counting every moved container's
-- vulnerabilities per scope key cost ~300 rows written per moved (scope key, report set) group, too much on writes (a
-- first poll of 20,000 containers 4.2 → 15 s, 1,000 containers changing image 51 ms → 16 s). Now a write keeps:
-- - ReachGroup: per scope key and set of reports, how many running containers match exactly that set and how many
--   workloads' containers together match it (one row per moved group, whatever its vulnerabilities);
-- - VulnerabilityReach at levels 1 (target) and 2 (fleet) only: a move's differences are summed over the whole
--   refresh first, so they meet at most one row per target, vulnerability and kind mask, however many groups moved;
-- - ReportKinds: per report, its vulnerability ids and their kinds as two arrays, written once with the report, read
--   instead of its ~300 rows by each move and by each read summing groups.
-- What level 0 answered (a namespace, a team, a caller's limited access) lib/data/vulnerabilities.ts now sums at read
-- time from the groups in scope and their reports' kinds: exact for the same reason (a container or workload is in
-- exactly one group). Containers updated without moving no longer cost a comparison (a row trigger's WHEN, below).

CREATE TABLE "ReachGroup" (
    "id" BIGSERIAL NOT NULL,
    "targetId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "reports" UUID[] NOT NULL,
    "containers" INTEGER NOT NULL,
    "workloads" INTEGER NOT NULL,

    CONSTRAINT "ReachGroup_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ReachGroup_key" ON "ReachGroup"("targetId", "namespace", "team", "reports");
CREATE INDEX "ReachGroup_namespace_idx" ON "ReachGroup"("namespace");
CREATE INDEX "ReachGroup_team_idx" ON "ReachGroup"("team");

DROP INDEX "VulnerabilityReach_namespace_idx";
DROP INDEX "VulnerabilityReach_team_idx";
-- The MERGEs below delete rows as they reach zero: none left for a later DELETE to find.
DROP INDEX "VulnerabilityReach_zero_idx";

-- Per vulnerability report, its vulnerability ids (sorted, distinct) and for each the OR of its rows' kinds
-- (vulnerability_kind): what a report adds to the counts, as two arrays read in one index lookup instead of its ~300
-- rows. Kept by statement triggers on ReportVulnerability (a report's rows are written with it and do not change).
CREATE TABLE "ReportKinds" (
    "reportId" UUID NOT NULL,
    "vulnerabilityIds" TEXT[] NOT NULL,
    "masks" BIGINT[] NOT NULL,

    CONSTRAINT "ReportKinds_pkey" PRIMARY KEY ("reportId")
);

CREATE FUNCTION "report_kinds_refresh"(report_ids UUID[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM "ReportKinds" WHERE "reportId" = ANY(report_ids);
    INSERT INTO "ReportKinds" ("reportId", "vulnerabilityIds", "masks")
    SELECT k."reportId", array_agg(k."vulnerabilityId" ORDER BY k."vulnerabilityId"), array_agg(k.mask ORDER BY k."vulnerabilityId")
    FROM (
        SELECT v."reportId", v."vulnerabilityId",
            bit_or("vulnerability_kind"(v."severity", v."fixable", v."packageClass", v."knownExploited")) AS mask
        FROM "ReportVulnerability" v WHERE v."reportId" = ANY(report_ids)
        GROUP BY v."reportId", v."vulnerabilityId") k
    GROUP BY k."reportId";
$$;

-- Named to fire before ReportVulnerability_reach_* (alphabetical), whose rebuild reads ReportKinds.
CREATE FUNCTION "report_kinds_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM "report_kinds_refresh"(ARRAY(SELECT DISTINCT "reportId" FROM changed_new));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM "report_kinds_refresh"(ARRAY(SELECT "reportId" FROM changed_new UNION SELECT "reportId" FROM changed_old));
    ELSE
        PERFORM "report_kinds_refresh"(ARRAY(SELECT DISTINCT "reportId" FROM changed_old));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER "ReportVulnerability_kinds_inserted" AFTER INSERT ON "ReportVulnerability"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "report_kinds_rows"();
CREATE TRIGGER "ReportVulnerability_kinds_updated" AFTER UPDATE ON "ReportVulnerability"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "report_kinds_rows"();
CREATE TRIGGER "ReportVulnerability_kinds_deleted" AFTER DELETE ON "ReportVulnerability"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "report_kinds_rows"();

-- A set of reports' vulnerabilities, each with the OR of its kinds over them: a single report's arrays as they are (the
-- usual group), several reports' merged.
CREATE FUNCTION "report_set_kinds"(reports UUID[]) RETURNS TABLE ("vulnerabilityId" TEXT, mask BIGINT) LANGUAGE sql STABLE AS $$
    SELECT u.id, u.mask FROM "ReportKinds" r CROSS JOIN LATERAL unnest(r."vulnerabilityIds", r."masks") u(id, mask)
    WHERE cardinality(reports) = 1 AND r."reportId" = reports[1]
    UNION ALL
    SELECT u.id, bit_or(u.mask) FROM unnest(reports) p(id) JOIN "ReportKinds" r ON r."reportId" = p.id
    CROSS JOIN LATERAL unnest(r."vulnerabilityIds", r."masks") u(id, mask)
    WHERE cardinality(reports) > 1
    GROUP BY u.id
$$;

-- The net difference between the groups `before` and `after` (vulnerability_reach_groups): per scope key and report
-- set, the containers and workloads that came (positive) or went (negative).
CREATE FUNCTION "vulnerability_reach_difference"(before "reach_group"[], after "reach_group"[])
RETURNS TABLE ("targetId" UUID, "namespace" TEXT, "team" TEXT, "reports" UUID[], c INTEGER, w INTEGER) LANGUAGE sql STABLE AS $$
    SELECT x."targetId", x."namespace", x."team", x."reports", sum(x.c)::int, sum(x.w)::int FROM (
        SELECT b."targetId", b."namespace", b."team", b."reports", -b."containers" AS c, -b."workloads" AS w FROM unnest(before) b
        UNION ALL SELECT a."targetId", a."namespace", a."team", a."reports", a."containers", a."workloads" FROM unnest(after) a) x
    GROUP BY 1, 2, 3, 4 HAVING (sum(x.c), sum(x.w)) <> (0, 0)
$$;

-- Moves the counts from the groups `before` to the groups `after`: the groups' own counts, then the targets' and the
-- fleet's per vulnerability (each report set's vulnerabilities with the OR of their kinds, report_set_kinds; the
-- differences summed per target first, the fleet's from the targets'). One MERGE per table, deleting
-- the rows left counting nothing. Only the refresh writes these tables, under its lock, so a row missing when the
-- MERGE reads is missing when it inserts. A report replaced by one with the same findings, or a container moving
-- between images with the same findings, leaves VulnerabilityReach as it is.
CREATE OR REPLACE FUNCTION "vulnerability_reach_move"(before "reach_group"[], after "reach_group"[]) RETURNS void LANGUAGE sql
-- The first poll of a big fleet sums ~1M rows here: in memory, not in temporary files.
SET work_mem = '64MB' AS $$
    MERGE INTO "ReachGroup" r
    USING "vulnerability_reach_difference"(before, after) g
    ON r."targetId" = g."targetId" AND r."namespace" = g."namespace" AND r."team" = g."team" AND r."reports" = g."reports"
    WHEN MATCHED AND r."containers" + g.c = 0 AND r."workloads" + g.w = 0 THEN DELETE
    WHEN MATCHED THEN UPDATE SET "containers" = r."containers" + g.c, "workloads" = r."workloads" + g.w
    WHEN NOT MATCHED THEN INSERT ("targetId", "namespace", "team", "reports", "containers", "workloads")
        VALUES (g."targetId", g."namespace", g."team", g."reports", g.c, g.w);
    MERGE INTO "VulnerabilityReach" r
    USING (
        WITH t AS (
            SELECT g."targetId", g."reports", sum(g.c)::int AS c, sum(g.w)::int AS w FROM "vulnerability_reach_difference"(before, after) g
            GROUP BY 1, 2 HAVING (sum(g.c), sum(g.w)) <> (0, 0)),
        tv AS (
            SELECT t."targetId", k."vulnerabilityId", k.mask, sum(t.c)::int AS c, sum(t.w)::int AS w
            FROM t CROSS JOIN LATERAL "report_set_kinds"(t."reports") k
            GROUP BY 1, 2, 3 HAVING (sum(t.c), sum(t.w)) <> (0, 0))
        SELECT 1::smallint AS level, "targetId", "vulnerabilityId", mask, c, w FROM tv
        UNION ALL
        SELECT 2::smallint, '00000000-0000-0000-0000-000000000000'::uuid, "vulnerabilityId", mask, sum(c)::int, sum(w)::int
        FROM tv GROUP BY "vulnerabilityId", mask HAVING (sum(c), sum(w)) <> (0, 0)) d
    ON r."level" = d.level AND r."targetId" = d."targetId" AND r."namespace" = '' AND r."team" = ''
        AND r."vulnerabilityId" = d."vulnerabilityId" AND r."mask" = d.mask
    WHEN MATCHED AND r."containers" + d.c = 0 AND r."workloads" + d.w = 0 THEN DELETE
    WHEN MATCHED THEN UPDATE SET "containers" = r."containers" + d.c, "workloads" = r."workloads" + d.w
    WHEN NOT MATCHED THEN INSERT ("level", "targetId", "namespace", "team", "vulnerabilityId", "mask", "containers", "workloads")
        VALUES (d.level, d."targetId", '', '', d."vulnerabilityId", d.mask, d.c, d.w);
$$;

-- As before (migration 20261206191000_vulnerability_reach), with no rows counting nothing left to delete afterwards
-- (vulnerability_reach_move deletes them).
CREATE OR REPLACE FUNCTION "vulnerability_reach_refresh"(container_ids UUID[], excluded UUID[] DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    workload_ids UUID[];
    before "reach_group"[];
BEGIN
    IF cardinality(container_ids) = 0 THEN
        RETURN;
    END IF;
    -- One refresh at a time (until its transaction ends): each reads the counts the one before it left.
    PERFORM pg_advisory_xact_lock(72707370);
    workload_ids := ARRAY(SELECT "workloadId" FROM "ContainerReport" WHERE "containerId" = ANY(container_ids)
        UNION SELECT "workloadId" FROM "Container" WHERE "id" = ANY(container_ids));
    before := "vulnerability_reach_groups"(container_ids, workload_ids);
    DELETE FROM "ContainerReport" WHERE "containerId" = ANY(container_ids);
    INSERT INTO "ContainerReport" ("containerId", "reportId", "workloadId", "targetId", "namespace", "team")
    SELECT DISTINCT c."id", d."reportId", w."id", w."targetId", w."namespace",
        coalesce(nullif(w."labels"->>'team', ''), nullif(w."namespaceLabels"->>'team', ''), '')
    FROM "Container" c
    JOIN "Workload" w ON w."id" = c."workloadId" AND w."goneAt" IS NULL
    CROSS JOIN LATERAL unnest(c."digests") x("digest")
    JOIN "ReportDigest" d ON d."digest" = x."digest"
    JOIN "ScanReport" r ON r."id" = d."reportId" AND r."supersededAt" IS NULL AND r."scansVulnerabilities"
        AND NOT (r."id" = ANY(excluded))
    WHERE c."id" = ANY(container_ids) AND c."goneAt" IS NULL;
    PERFORM "vulnerability_reach_move"(before, "vulnerability_reach_groups"(container_ids, workload_ids));
END
$$;

-- Everything counted again from the live tables: ReportKinds, ReachGroup, VulnerabilityReach and ContainerReport as if
-- built from scratch.
CREATE OR REPLACE FUNCTION "vulnerability_reach_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(72707370);
    DELETE FROM "ReportKinds";
    PERFORM "report_kinds_refresh"(ARRAY(SELECT "id" FROM "ScanReport"));
    DELETE FROM "VulnerabilityReach";
    DELETE FROM "ReachGroup";
    DELETE FROM "ContainerReport";
    PERFORM "vulnerability_reach_refresh"(ARRAY(SELECT "id" FROM "Container" WHERE "goneAt" IS NULL));
END
$$;

-- Containers rewritten by a poll without moving (the same digests, still running, same workload) queue nothing, and
-- cost nothing to find: a row trigger whose WHEN the executor checks per row replaces the statement trigger on UPDATE,
-- which copied every updated row twice (its transition tables) to compare them. Each moved row is queued as not
-- flushing by itself (no commit-time event per row); the statement queues one flush if any row was.
ALTER TABLE "ReachPending" ADD COLUMN "flush" BOOLEAN NOT NULL DEFAULT true;
DROP TRIGGER "ReachPending_flush" ON "ReachPending";
CREATE CONSTRAINT TRIGGER "ReachPending_flush" AFTER INSERT ON "ReachPending" DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW."flush") EXECUTE FUNCTION "vulnerability_reach_flush"();

CREATE FUNCTION "vulnerability_reach_container_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "ReachPending" ("containers", "flush") VALUES (ARRAY[NEW."id"], false);
    RETURN NULL;
END
$$;
CREATE FUNCTION "vulnerability_reach_containers_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM "ReachPending" WHERE NOT "flush") THEN
        INSERT INTO "ReachPending" ("containers") VALUES ('{}');
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER "Container_reach_updated" ON "Container";
CREATE TRIGGER "Container_reach_moved" AFTER UPDATE ON "Container" FOR EACH ROW
    WHEN ((NEW."digests", NEW."goneAt" IS NULL, NEW."workloadId") IS DISTINCT FROM (OLD."digests", OLD."goneAt" IS NULL, OLD."workloadId"))
    EXECUTE FUNCTION "vulnerability_reach_container_moved"();
CREATE TRIGGER "Container_reach_updated" AFTER UPDATE ON "Container"
    FOR EACH STATEMENT EXECUTE FUNCTION "vulnerability_reach_containers_moved"();

SELECT "vulnerability_reach_rebuild"();
