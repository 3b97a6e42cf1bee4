-- Each user's sales summed up to the end of the last day a job computed the customer figures for (README,
-- "Customer analytics", "What a nightly run reads"), so that a nightly run re-reads the sales of only the users
-- whose orders it recomputes. Replaced whole by a backfill; a nightly run replaces the rows of the users it re-reads.
CREATE TABLE analytics.customer_sales_state (
    user_id           bigint         PRIMARY KEY,
    sales             integer        NOT NULL,
    spent             numeric(14, 2) NOT NULL,
    discounts         numeric(14, 2) NOT NULL,
    vip_discounts     numeric(14, 2) NOT NULL,
    loyalty_value     numeric(14, 2) NOT NULL,
    first_sale_at     timestamptz    NOT NULL,
    last_sale_at      timestamptz    NOT NULL,
    first_sale_day    date           NOT NULL,
    last_sale_day     date           NOT NULL,
    purchase_days     integer        NOT NULL,
    first_day_spend   numeric(14, 2) NOT NULL,
    sales_with_points integer        NOT NULL,
    sale_months       date[]         NOT NULL,  -- first day of each month with a sale, ascending
    run_id            bigint         NOT NULL REFERENCES analytics.runs (id)
);

-- Which day the state is as of, and the run that wrote it (one row). A nightly run uses the state only when that run
-- is the one whose watermark it starts from, so every change since is among the days it recomputes.
CREATE TABLE analytics.customer_sales_state_run (
    as_of  date   NOT NULL,
    run_id bigint NOT NULL REFERENCES analytics.runs (id)
);
