-- Each result has one home (issue 16 item 2): a failure is its Finding row (message, field path, severity and
-- now its fix), a pass is the check's id in Container.passed, a check not judged is an entry of
-- Container.notJudged. The results JSON, a second copy of all of them, goes; existing rows are carried over.
ALTER TABLE "Container" ADD COLUMN "passed" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "Container" ADD COLUMN "notJudged" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "Finding" ADD COLUMN "remediation" JSONB;

UPDATE "Container" c SET
  "passed" = coalesce((SELECT jsonb_agg(r->'id' ORDER BY r->>'id') FROM jsonb_array_elements(c."results") r
    WHERE r->>'status' = 'pass'), '[]'::jsonb),
  "notJudged" = coalesce((SELECT jsonb_agg(jsonb_build_object('id', r->'id', 'status', r->'status', 'message', r->'message')
    ORDER BY r->>'id') FROM jsonb_array_elements(c."results") r
    WHERE r->>'status' IN ('not-evaluated', 'not-applicable')), '[]'::jsonb);

UPDATE "Finding" f SET "remediation" = r->'remediation'
FROM "Container" c CROSS JOIN LATERAL jsonb_array_elements(c."results") r
WHERE f."containerId" = c."id" AND r->>'id' = f."checkId" AND f."status" <> 'resolved' AND r ? 'remediation';

ALTER TABLE "Container" DROP COLUMN "results";

-- Rollups are read by time, not by run: pruning an old run keeps the changes it wrote; deleting the target
-- deletes them.
ALTER TABLE "RunRollup" ALTER COLUMN "runId" DROP NOT NULL;
ALTER TABLE "RunRollup" DROP CONSTRAINT "RunRollup_runId_fkey";
ALTER TABLE "RunRollup" ADD CONSTRAINT "RunRollup_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CollectionRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RunRollup" ADD CONSTRAINT "RunRollup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE CASCADE ON UPDATE CASCADE;
