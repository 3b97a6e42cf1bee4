-- Customer analytics (README, "Customer analytics"). Everything is "as of" one shop day: the last day of the run.
-- customer_metrics holds one row per customer for the latest computation only (a run replaces it whole); the small
-- tables keep one set of rows per as-of day (a run replaces its day's), so a past report can be re-rendered.
-- Money is numeric(14,2), exact; the model's outputs are estimates (double precision, money rounded to hundredths).

CREATE TABLE analytics.customer_metrics (
    user_id                  bigint PRIMARY KEY,
    as_of                    date          NOT NULL,
    total_orders             integer       NOT NULL,
    total_spent              numeric(14,2) NOT NULL,
    average_order_value      numeric(14,2) NOT NULL,
    first_order_date         timestamptz,
    last_order_date          timestamptz,
    days_since_last_order    integer       NOT NULL,
    lifetime_value           numeric(14,2) NOT NULL,
    churn_risk               boolean       NOT NULL,
    vip_tier_current         text,
    subscription_active      boolean       NOT NULL,
    loyalty_points_earned    bigint        NOT NULL,
    loyalty_points_redeemed  bigint        NOT NULL,
    loyalty_value_redeemed   numeric(14,2) NOT NULL,
    referral_count           integer       NOT NULL,
    referral_earnings        numeric(14,2) NOT NULL,
    total_discounts_received numeric(14,2) NOT NULL,
    vip_discounts_received   numeric(14,2) NOT NULL,
    -- Segments (a customer may be in several), RFM scores 1..5 (NULL without a sale) and group.
    is_vip                   boolean       NOT NULL,
    is_subscribed            boolean       NOT NULL,
    is_high_value            boolean       NOT NULL,
    is_inactive              boolean       NOT NULL,
    is_new                   boolean       NOT NULL,
    rfm_recency              smallint,
    rfm_frequency            smallint,
    rfm_monetary             smallint,
    rfm_group                text          NOT NULL,
    -- The model's inputs (days) and outputs; NULL without a sale or without a fitted model.
    frequency                integer,
    recency_days             integer,
    age_days                 integer,
    probability_alive        double precision,
    expected_sales_30d       double precision,
    expected_sales_90d       double precision,
    expected_order_value     numeric(14,2),
    clv_12_months            numeric(14,2),
    run_id                   bigint        NOT NULL REFERENCES analytics.runs (id)
);
CREATE INDEX customer_metrics_rfm_group ON analytics.customer_metrics (rfm_group);

-- Customers and lifetime value per segment, per as-of day.
CREATE TABLE analytics.customer_segments (
    as_of          date          NOT NULL,
    segment        text          NOT NULL,
    customers      integer       NOT NULL,
    lifetime_value numeric(14,2) NOT NULL,
    rule           text          NOT NULL,
    run_id         bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, segment)
);

-- Customers and lifetime value per RFM group, per as-of day.
CREATE TABLE analytics.customer_rfm (
    as_of          date          NOT NULL,
    rfm_group      text          NOT NULL,
    customers      integer       NOT NULL,
    lifetime_value numeric(14,2) NOT NULL,
    rule           text          NOT NULL,
    run_id         bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, rfm_group)
);

-- The top customers by lifetime value and the at-risk list (personal data: names, for the shop's managers only).
CREATE TABLE analytics.customer_lists (
    as_of                 date          NOT NULL,
    list                  text          NOT NULL CHECK (list IN ('top_lifetime_value', 'at_risk')),
    rank                  integer       NOT NULL,
    user_id               bigint        NOT NULL,
    customer_name         text          NOT NULL,
    lifetime_value        numeric(14,2) NOT NULL,
    total_orders          integer       NOT NULL,
    days_since_last_order integer       NOT NULL,
    rfm_group             text          NOT NULL,
    probability_alive     double precision,
    action                text,
    action_label          text,
    run_id                bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, list, rank)
);

-- Acquisition cohorts: customers whose first sale fell in cohort_month, and how many bought months_after later
-- (months_after 0 = the cohort's size).
CREATE TABLE analytics.cohorts (
    as_of        date    NOT NULL,
    cohort_month date    NOT NULL,
    months_after integer NOT NULL,
    customers    integer NOT NULL,
    cohort_size  integer NOT NULL,
    share        numeric(7,4),
    run_id       bigint  NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, cohort_month, months_after)
);

-- Loyalty, referral and repeat-purchase figures: exactly one of count, amount, share per row.
CREATE TABLE analytics.program_summary (
    as_of   date          NOT NULL,
    program text          NOT NULL,
    figure  text          NOT NULL,
    count   bigint,
    amount  numeric(14,2),
    share   numeric(7,4),
    run_id  bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, program, figure)
);

-- The purchase (BG/NBD) and spend (Gamma-Gamma) model fits of each run: the run log of the model.
CREATE TABLE analytics.churn_model_fit (
    run_id          bigint  NOT NULL REFERENCES analytics.runs (id),
    as_of           date    NOT NULL,
    model           text    NOT NULL CHECK (model IN ('bg_nbd', 'gamma_gamma')),
    fitted          boolean NOT NULL,
    time_unit       text    NOT NULL,
    parameters      jsonb,
    log_likelihood  double precision,
    customers_used  integer NOT NULL,
    distinct_points integer,
    converged       boolean NOT NULL,
    evaluations     integer,
    note            text,
    PRIMARY KEY (run_id, model)
);
