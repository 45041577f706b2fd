-- Open findings per workload and check, and whether the workload is current: the check page's failing workloads
-- (listFailingWorkloads in lib/data/checks.ts) read the check's rows from the index below instead of joining every open
-- finding of the check to its container and workload. Open findings are on current containers only (a run marking a
-- container gone resolves its findings in the same statement, lib/services/runs/record-statements.ts markGone), so
-- this is also the number of its current containers failing the check (one finding per container and check). Counted
-- over all the workload's containers, as WorkloadSummary's open findings: a statement changing containers and
-- findings at once (markGone) then needs no product of the two. Kept exact by the statement triggers below, in the
-- same transaction as the rows they count.
CREATE TABLE "WorkloadCheckOpen" (
    "workloadId" UUID NOT NULL,
    "checkId" TEXT NOT NULL,
    "current" BOOLEAN NOT NULL,
    "open" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkloadCheckOpen_pkey" PRIMARY KEY ("workloadId", "checkId"),
    CONSTRAINT "WorkloadCheckOpen_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- A check's current failing workloads, most failing containers first.
CREATE INDEX "WorkloadCheckOpen_checkId_open_idx" ON "WorkloadCheckOpen"("checkId", "open" DESC) WHERE "current" AND "open" > 0;

-- Recomputes the rows of these workloads from their containers and findings (after deletes, and to fill the table).
CREATE FUNCTION "workload_check_open_recompute"(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM "WorkloadCheckOpen" WHERE "workloadId" = ANY(ids);
    INSERT INTO "WorkloadCheckOpen" ("workloadId", "checkId", "current", "open")
    SELECT w."id", f."checkId", w."goneAt" IS NULL, count(*)::int
    FROM "Workload" w JOIN "Container" c ON c."workloadId" = w."id"
        JOIN "Finding" f ON f."containerId" = c."id" AND f."status" = 'open'
    WHERE w."id" = ANY(ids)
    GROUP BY 1, 2, 3;
$$;

-- Findings: open ones count, on their container's workload. A finding whose container is deleted in the same
-- statement is left to that container's trigger (below). Each branch reads only the transition tables its trigger has.
CREATE FUNCTION "workload_check_open_findings"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "WorkloadCheckOpen" AS s ("workloadId", "checkId", "current", "open")
        SELECT c."workloadId", f."checkId", w."goneAt" IS NULL, count(*)::int
        FROM changed_new f JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
        WHERE f."status" = 'open'
        GROUP BY 1, 2, 3
        ORDER BY 1, 2
        ON CONFLICT ("workloadId", "checkId") DO UPDATE SET "open" = s."open" + EXCLUDED."open";
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO "WorkloadCheckOpen" AS s ("workloadId", "checkId", "current", "open")
        SELECT c."workloadId", f."checkId", w."goneAt" IS NULL, sum(f.sign)::int
        FROM (SELECT "containerId", "checkId", 1 AS sign FROM changed_new WHERE "status" = 'open'
            UNION ALL SELECT "containerId", "checkId", -1 FROM changed_old WHERE "status" = 'open') f
            JOIN "Container" c ON c."id" = f."containerId" JOIN "Workload" w ON w."id" = c."workloadId"
        GROUP BY 1, 2, 3
        HAVING sum(f.sign) <> 0
        ORDER BY 1, 2
        ON CONFLICT ("workloadId", "checkId") DO UPDATE SET "open" = s."open" + EXCLUDED."open";
    ELSE
        UPDATE "WorkloadCheckOpen" s SET "open" = s."open" - d.open
        FROM (
            SELECT c."workloadId", f."checkId", count(*)::int AS open
            FROM changed_old f JOIN "Container" c ON c."id" = f."containerId"
            WHERE f."status" = 'open'
            GROUP BY 1, 2
        ) d
        WHERE s."workloadId" = d."workloadId" AND s."checkId" = d."checkId";
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "Finding_check_open_inserted" AFTER INSERT ON "Finding"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_check_open_findings"();
CREATE TRIGGER "Finding_check_open_updated" AFTER UPDATE ON "Finding"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_check_open_findings"();
CREATE TRIGGER "Finding_check_open_deleted" AFTER DELETE ON "Finding"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "workload_check_open_findings"();

-- Containers deleted: their workloads are recomputed (the findings they cascade to can no longer be traced to them).
-- Containers never move between workloads (runs upsert them on their workload and name), so updates change nothing.
CREATE FUNCTION "workload_check_open_containers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "workload_check_open_recompute"(ARRAY(SELECT DISTINCT "workloadId" FROM changed_old));
    RETURN NULL;
END
$$;

CREATE TRIGGER "Container_check_open_deleted" AFTER DELETE ON "Container"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "workload_check_open_containers"();

-- Workloads: whether each is current. Deleting one deletes its rows (the foreign key).
CREATE FUNCTION "workload_check_open_workloads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "WorkloadCheckOpen" s SET "current" = w."goneAt" IS NULL
    FROM changed_new w
    WHERE s."workloadId" = w."id" AND s."current" IS DISTINCT FROM (w."goneAt" IS NULL);
    RETURN NULL;
END
$$;

CREATE TRIGGER "Workload_check_open_updated" AFTER UPDATE ON "Workload"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "workload_check_open_workloads"();

-- Every workload there is now.
SELECT "workload_check_open_recompute"(ARRAY(SELECT "id" FROM "Workload"));
ANALYZE "WorkloadCheckOpen";
