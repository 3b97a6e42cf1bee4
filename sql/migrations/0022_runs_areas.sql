-- The areas a run computed beside the daily figures (`--areas`: customers, funnel, campaigns), so that a nightly run
-- starts, for each area it computes, from the last run that computed that area: a run with fewer areas recomputes
-- the days of the changes it finds for those areas only, and its watermark must not hide those changes from the
-- next run with more. NULL for the runs logged before: taken as every area, as they were then.
ALTER TABLE analytics.runs ADD COLUMN areas text[];
