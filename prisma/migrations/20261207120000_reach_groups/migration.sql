-- Vulnerability reach kept per scope key as groups, not per vulnerability. Counting every moved container's
-- vulnerabilities per scope key cost ~300 rows written per moved (scope key, report set) group, too much on writes (a
-- first poll of 20,000 containers 4.2 → 15 s, 1,000 containers changing image 51 ms → 16 s). Now a write keeps:
-- - ReachGroup: per scope key and set of reports, how many running containers match exactly that set and how many
--   workloads' containers together match it (one row per moved group, whatever its vulnerabilities);
-- - VulnerabilityReach at levels 1 (target) and 2 (fleet) only: a move's differences are summed over the whole
--   refresh first, so they meet at most one row per target, vulnerability and kind mask, however many groups moved.
-- What level 0 answered (a namespace, a team, a caller's limited access) lib/data/vulnerabilities.ts now sums at read
-- time from the groups in scope and the vulnerability rows of their reports: exact for the same reason (a container
-- or workload is in exactly one group).

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
CREATE INDEX "ReachGroup_zero_idx" ON "ReachGroup"("id") WHERE "containers" = 0 AND "workloads" = 0;

DROP INDEX "VulnerabilityReach_namespace_idx";
DROP INDEX "VulnerabilityReach_team_idx";

-- Moves the counts from the groups `before` to the groups `after` (vulnerability_reach_groups): the groups' own
-- counts, then the targets' and the fleet's per vulnerability, each report set's vulnerabilities joined once, with the
-- OR of their kinds over its reports. A report replaced by one with the same findings, or a container moving between
-- images with the same findings, leaves VulnerabilityReach as it is.
CREATE OR REPLACE FUNCTION "vulnerability_reach_move"(before "reach_group"[], after "reach_group"[]) RETURNS void LANGUAGE sql AS $$
    WITH g AS (
        SELECT "targetId", "namespace", "team", "reports", sum(c)::int AS c, sum(w)::int AS w FROM (
            SELECT "targetId", "namespace", "team", "reports", -"containers" AS c, -"workloads" AS w FROM unnest(before)
            UNION ALL SELECT "targetId", "namespace", "team", "reports", "containers", "workloads" FROM unnest(after)) x
        GROUP BY 1, 2, 3, 4 HAVING (sum(c), sum(w)) <> (0, 0)),
    grouped AS (
        INSERT INTO "ReachGroup" AS r ("targetId", "namespace", "team", "reports", "containers", "workloads")
        SELECT "targetId", "namespace", "team", "reports", c, w FROM g
        ON CONFLICT ("targetId", "namespace", "team", "reports") DO UPDATE
            SET "containers" = r."containers" + EXCLUDED."containers", "workloads" = r."workloads" + EXCLUDED."workloads"),
    t AS (
        SELECT "targetId", "reports", sum(c)::int AS c, sum(w)::int AS w FROM g
        GROUP BY 1, 2 HAVING (sum(c), sum(w)) <> (0, 0)),
    sv AS (
        SELECT s."reports", v."vulnerabilityId",
            bit_or("vulnerability_kind"(v."severity", v."fixable", v."packageClass", v."knownExploited")) AS mask
        FROM (SELECT DISTINCT "reports" FROM t) s CROSS JOIN LATERAL unnest(s."reports") u(id)
        JOIN "ReportVulnerability" v ON v."reportId" = u.id
        GROUP BY s."reports", v."vulnerabilityId"),
    tv AS (
        SELECT t."targetId", sv."vulnerabilityId", sv.mask, sum(t.c)::int AS c, sum(t.w)::int AS w
        FROM t JOIN sv ON sv."reports" = t."reports"
        GROUP BY 1, 2, 3 HAVING (sum(t.c), sum(t.w)) <> (0, 0)),
    leveled AS (
        SELECT 1::smallint AS level, "targetId", "vulnerabilityId", mask, c, w FROM tv
        UNION ALL
        SELECT 2::smallint, '00000000-0000-0000-0000-000000000000'::uuid, "vulnerabilityId", mask, sum(c)::int, sum(w)::int
        FROM tv GROUP BY "vulnerabilityId", mask HAVING (sum(c), sum(w)) <> (0, 0))
    INSERT INTO "VulnerabilityReach" AS r ("level", "targetId", "namespace", "team", "vulnerabilityId", "mask", "containers", "workloads")
    SELECT level, "targetId", '', '', "vulnerabilityId", mask, c, w FROM leveled
    ON CONFLICT ("level", "targetId", "namespace", "team", "vulnerabilityId", "mask") DO UPDATE
        SET "containers" = r."containers" + EXCLUDED."containers", "workloads" = r."workloads" + EXCLUDED."workloads";
$$;

-- As before (migration 20261206191000_vulnerability_reach), and groups left with nothing are deleted too.
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
    DELETE FROM "VulnerabilityReach" WHERE "containers" = 0 AND "workloads" = 0;
    DELETE FROM "ReachGroup" WHERE "containers" = 0 AND "workloads" = 0;
END
$$;

-- Everything counted again from the live tables: ReachGroup, VulnerabilityReach and ContainerReport as if built from
-- scratch.
CREATE OR REPLACE FUNCTION "vulnerability_reach_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(72707370);
    DELETE FROM "VulnerabilityReach";
    DELETE FROM "ReachGroup";
    DELETE FROM "ContainerReport";
    PERFORM "vulnerability_reach_refresh"(ARRAY(SELECT "id" FROM "Container" WHERE "goneAt" IS NULL));
END
$$;

SELECT "vulnerability_reach_rebuild"();
