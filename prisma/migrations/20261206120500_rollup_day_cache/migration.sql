-- Daily rollup counts of complete days, per read-model filter and split (lib/data/rollup-history.ts): computed once
-- from RunRollup, then read instead of it. A row with an empty "checkId" marks a day as cached.
CREATE TABLE "RollupDayCache" (
    "filter" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "checkId" TEXT NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,

    CONSTRAINT "RollupDayCache_pkey" PRIMARY KEY ("filter", "by", "day", "key", "checkId")
);

-- A RunRollup row written, changed or removed at some time changes every day from then on: those days are dropped
-- and recomputed on the next read. Runs write rows at "now" (today, never cached), so this deletes nothing for them.
CREATE FUNCTION "rollup_day_cache_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    since TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT to_char(min("at"), 'YYYY-MM-DD') INTO since FROM changed_new;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT to_char(min("at"), 'YYYY-MM-DD') INTO since FROM changed_old;
    ELSE
        SELECT to_char(least((SELECT min("at") FROM changed_old), (SELECT min("at") FROM changed_new)), 'YYYY-MM-DD')
        INTO since;
    END IF;
    IF since IS NOT NULL THEN
        DELETE FROM "RollupDayCache" WHERE "day" >= since;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "RunRollup_forget_inserted" AFTER INSERT ON "RunRollup"
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "rollup_day_cache_forget"();
CREATE TRIGGER "RunRollup_forget_deleted" AFTER DELETE ON "RunRollup"
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "rollup_day_cache_forget"();
CREATE TRIGGER "RunRollup_forget_updated" AFTER UPDATE ON "RunRollup"
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "rollup_day_cache_forget"();
