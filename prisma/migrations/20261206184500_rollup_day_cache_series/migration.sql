-- Each series' (key and check) cached days in order: the first day with data per series (listFirstDailyRollupsBy in
-- lib/data/rollup-history.ts, the compliance matrix's change) read from the index alone, without sorting every day.
CREATE INDEX "RollupDayCache_series_idx" ON "RollupDayCache"("filter", "by", "key", "checkId", "day") INCLUDE ("passed", "failed");
