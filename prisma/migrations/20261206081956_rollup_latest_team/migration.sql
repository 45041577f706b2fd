-- RollupLatest keys by team too, as RunRollup does (20261206074204_rollup_team): refilled from the history.
DELETE FROM "RollupLatest";
ALTER TABLE "RollupLatest" ADD COLUMN "team" TEXT NOT NULL DEFAULT '';
ALTER TABLE "RollupLatest" DROP CONSTRAINT "RollupLatest_pkey";
ALTER TABLE "RollupLatest" ADD CONSTRAINT "RollupLatest_pkey" PRIMARY KEY ("targetId", "namespace", "team", "checkId");
INSERT INTO "RollupLatest" ("targetId", "namespace", "team", "checkId", "passed", "failed", "at")
SELECT DISTINCT ON ("targetId", "namespace", "team", "checkId") "targetId", "namespace", "team", "checkId", "passed", "failed", "at"
FROM "RunRollup"
ORDER BY "targetId", "namespace", "team", "checkId", "at" DESC;
