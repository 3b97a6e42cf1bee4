-- The customers' kept sales (README, "What a nightly run reads") now hold each user's sales created before the START
-- of the day in customer_sales_state_run.as_of, no longer before its end: a nightly run reads every sale created from
-- that day's start on by created_at and folds it onto the kept sums, so the users who bought on the days it
-- recomputes need not be re-read whole. The rows written before this migration cover the as-of day too and would
-- count its sales twice: the state is emptied, and the next run reads every sale and writes it anew.
DELETE FROM analytics.customer_sales_state_run;
TRUNCATE analytics.customer_sales_state;
