-- Each distinct fix once: findings point at a Fix row instead of holding their fix inline (about 250 bytes each).
CREATE TABLE "Fix" (
    "id" UUID NOT NULL,
    "remediation" JSONB NOT NULL,

    CONSTRAINT "Fix_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Finding" ADD COLUMN "fixId" UUID;

-- Rows carried over are keyed by md5 of jsonb's text; new ones by sha256 of canonical JSON. A fix carried over is
-- thus stored again when its finding is next rewritten, and the old row is pruned once nothing points at it.
INSERT INTO "Fix" ("id", "remediation")
SELECT DISTINCT ON (md5("remediation"::text)) md5("remediation"::text)::uuid, "remediation"
FROM "Finding" WHERE "remediation" IS NOT NULL AND "remediation" <> 'null'::jsonb;

UPDATE "Finding" SET "fixId" = md5("remediation"::text)::uuid
WHERE "remediation" IS NOT NULL AND "remediation" <> 'null'::jsonb;

ALTER TABLE "Finding" DROP COLUMN "remediation";

ALTER TABLE "Finding" ADD CONSTRAINT "Finding_fixId_fkey" FOREIGN KEY ("fixId") REFERENCES "Fix"("id") ON DELETE SET NULL ON UPDATE CASCADE;
