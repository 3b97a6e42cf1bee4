-- The model check (README, "Purchase and spend model") fits on the sales up to 30 days before the as-of day, a cutoff
-- that moves every day. Each user's kept sales say enough to find the purchase days up to any such cutoff, so a
-- nightly run that keeps most users' sales runs the check as a backfill does (README, "What a nightly run reads"):
--   recent_purchase_days  the other purchase days in the 30 days ending with last_sale_day (at most 29), ascending;
--   earlier_purchase_day  the last purchase day 30 or more days before last_sale_day (NULL: none).
-- Both depend on the user's sales alone, not on the day the state is as of.
-- Rows written before this migration lack them: the state is emptied, and the next run reads every sale and writes
-- it whole.
DELETE FROM analytics.customer_sales_state_run;
TRUNCATE analytics.customer_sales_state;
ALTER TABLE analytics.customer_sales_state
    ADD COLUMN recent_purchase_days date[] NOT NULL,
    ADD COLUMN earlier_purchase_day date;
