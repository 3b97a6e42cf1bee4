-- The distinct customers with a sale on each day, as a sorted array: lets a report count distinct customers over
-- any period (a week, a month) exactly, from the analytics tables alone, at one row per day.
CREATE TABLE analytics.daily_customers (
    day          date     PRIMARY KEY,
    customer_ids bigint[] NOT NULL,
    run_id       bigint   NOT NULL REFERENCES analytics.runs (id)
);
