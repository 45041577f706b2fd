-- The newest rollup counts per target × namespace × check, kept on write (lib/services/runs/record-statements.ts).
CREATE TABLE "RollupLatest" (
    "targetId" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "checkId" TEXT NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RollupLatest_pkey" PRIMARY KEY ("targetId","namespace","checkId")
);

ALTER TABLE "RollupLatest" ADD CONSTRAINT "RollupLatest_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "RollupLatest" ("targetId", "namespace", "checkId", "passed", "failed", "at")
SELECT DISTINCT ON ("targetId", "namespace", "checkId") "targetId", "namespace", "checkId", "passed", "failed", "at"
FROM "RunRollup"
ORDER BY "targetId", "namespace", "checkId", "at" DESC;
