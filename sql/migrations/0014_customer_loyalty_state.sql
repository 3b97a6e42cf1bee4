-- Each user's loyalty points (README, "Loyalty points") summed over the transactions created before counted_before,
-- as the run in customer_loyalty_state_run saw them, so that a nightly run reads only the transactions that can have
-- changed them (README, "What a nightly run reads"): those created since counted_before, and those inserted since
-- (an id above the store's high water). The two loyalty tables have no updated_at: they are taken as insert-only.
-- Replaced whole by a backfill (which reads every transaction); a nightly run replaces the rows of the users it adds
-- transactions to.
CREATE TABLE analytics.customer_loyalty_state (
    user_id         bigint PRIMARY KEY,
    points_earned   bigint NOT NULL,
    points_redeemed bigint NOT NULL,
    -- the transactions left out (points beyond +-1,000,000), 'table/id/points' ordered by table and id; NULL: none
    set_aside       text[],
    run_id          bigint NOT NULL REFERENCES analytics.runs (id)
);

-- What the sums count (one row): transactions created before counted_before (the end of the run's as-of day, or one
-- hour before the run's snapshot if that is earlier, for transactions that commit late, like the watermark's overlap),
-- and the highest id of each store in the run's snapshot.
CREATE TABLE analytics.customer_loyalty_state_run (
    counted_before          timestamptz NOT NULL,
    order_high_water        bigint      NOT NULL,
    subscription_high_water bigint      NOT NULL,
    run_id                  bigint      NOT NULL REFERENCES analytics.runs (id)
);
