-- Each distinct combination of passes and checks not judged stored once (ResultSet), referenced from Container: a
-- fleet has few of them (956 among 9,475 containers measured), where each container carried ~730 bytes of them.

-- The id of a result set: the first 128 bits of the sha256 of JSON.stringify([passed, [[id, status, message], ...]])
-- as resultSetId() computes it in lib/services/runs/container-rows.ts (a db test holds the two equal).
CREATE FUNCTION "result_set_id"(passed JSONB, "notJudged" JSONB) RETURNS UUID LANGUAGE sql IMMUTABLE AS $$
    SELECT substr(encode(sha256(convert_to(
        '[[' || coalesce((SELECT string_agg(to_json(p)::text, ',' ORDER BY i)
            FROM jsonb_array_elements_text(passed) WITH ORDINALITY AS x(p, i)), '')
        || '],[' || coalesce((SELECT string_agg('[' || to_json(n->>'id')::text || ',' || to_json(n->>'status')::text
                || ',' || to_json(n->>'message')::text || ']', ',' ORDER BY i)
            FROM jsonb_array_elements("notJudged") WITH ORDINALITY AS y(n, i)), '')
        || ']]', 'UTF8')), 'hex'), 1, 32)::uuid
$$;

CREATE TABLE "ResultSet" (
    "id" UUID NOT NULL,
    "passed" JSONB NOT NULL,
    "notJudged" JSONB NOT NULL,

    CONSTRAINT "ResultSet_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Container" ADD COLUMN "resultSetId" UUID;

-- Existing rows move: each distinct combination once, every container pointing at its own.
INSERT INTO "ResultSet" ("id", "passed", "notJudged")
SELECT DISTINCT ON (s."id") s."id", s."passed", s."notJudged"
FROM (SELECT DISTINCT "passed", "notJudged" FROM "Container") d
CROSS JOIN LATERAL (SELECT "result_set_id"(d."passed", d."notJudged") AS "id", d."passed", d."notJudged") s;

UPDATE "Container" SET "resultSetId" = "result_set_id"("passed", "notJudged");

ALTER TABLE "Container" DROP COLUMN "passed", DROP COLUMN "notJudged";

ALTER TABLE "Container" ADD CONSTRAINT "Container_resultSetId_fkey" FOREIGN KEY ("resultSetId") REFERENCES "ResultSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
