-- Campaigns, the conversion funnel and traffic (README, "Campaigns" and "Funnel and traffic").
-- Percentages are numeric(_,2) in percent (12.34 means 12.34%).

-- The shop's campaigns as of the last run, replaced whole by every run.
CREATE TABLE analytics.campaigns (
    campaign_id     bigint PRIMARY KEY,
    name            text          NOT NULL,
    status          text          NOT NULL,
    target_audience text          NOT NULL,
    discount_type   text          NOT NULL,
    discount_value  numeric(14,2) NOT NULL,
    coupon_code     text          NOT NULL,
    start_at        timestamptz   NOT NULL,
    end_at          timestamptz   NOT NULL,
    first_day       date          NOT NULL,
    last_day        date          NOT NULL,
    budget          numeric(14,2),
    attributed      boolean       NOT NULL,
    run_id          bigint        NOT NULL REFERENCES analytics.runs (id)
);

-- One row per attributed campaign: its window up to as_of. A run replaces the rows of the campaigns it computes
-- (those whose window meets its days) and drops rows of campaigns that are no longer attributed.
CREATE TABLE analytics.campaign_performance (
    campaign_id         bigint PRIMARY KEY,
    as_of               date          NOT NULL,
    first_day           date          NOT NULL,
    last_day            date          NOT NULL,
    orders_influenced   integer       NOT NULL,
    coupon_orders       integer       NOT NULL,
    revenue_generated   numeric(14,2) NOT NULL,
    discount_given      numeric(14,2) NOT NULL,
    customers_reached   integer       NOT NULL,
    customers_converted integer       NOT NULL,
    conversion_rate     numeric(7,2)  NOT NULL,
    budget_used         numeric(16,2),
    roi                 numeric(16,2),
    audience_revenue    numeric(14,2) NOT NULL,
    baseline_first_day  date,
    baseline_revenue    numeric(14,2),
    incremental_revenue numeric(14,2),
    uplift              numeric(16,2),
    run_id              bigint        NOT NULL REFERENCES analytics.runs (id)
);

-- Per campaign and shop day of its window; replaced day range by day range.
CREATE TABLE analytics.campaign_daily (
    day                 date          NOT NULL,
    campaign_id         bigint        NOT NULL,
    orders_influenced   integer       NOT NULL,
    coupon_orders       integer       NOT NULL,
    revenue_generated   numeric(14,2) NOT NULL,
    discount_given      numeric(14,2) NOT NULL,
    customers_reached   integer       NOT NULL,
    customers_converted integer       NOT NULL,
    conversion_rate     numeric(7,2)  NOT NULL,
    audience_revenue    numeric(14,2) NOT NULL,
    run_id              bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, campaign_id)
);
CREATE INDEX campaign_daily_campaign ON analytics.campaign_daily (campaign_id, day);

-- Sessions per shop day and user type (new, returning, anonymous, all) and the steps they reached.
CREATE TABLE analytics.funnel_daily (
    day             date    NOT NULL,
    user_type       text    NOT NULL,
    sessions        integer NOT NULL,
    view_menu       integer NOT NULL,
    add_to_cart     integer NOT NULL,
    start_checkout  integer NOT NULL,
    complete_order  integer NOT NULL,
    subscribe       integer NOT NULL,
    referral_click  integer NOT NULL,
    skipped_steps   integer NOT NULL,
    run_id          bigint  NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, user_type)
);

-- Orders placed against sessions with a complete_order event, per shop day.
CREATE TABLE analytics.funnel_gap (
    day                     date    PRIMARY KEY,
    orders_placed           integer NOT NULL,
    complete_order_sessions integer NOT NULL,
    orders_without_event    integer NOT NULL,
    sessions_without_order  integer NOT NULL,
    run_id                  bigint  NOT NULL REFERENCES analytics.runs (id)
);

-- The shop's page views per page and day, as recorded by it.
CREATE TABLE analytics.page_views (
    day             date    NOT NULL,
    page_name       text    NOT NULL,
    views           integer NOT NULL,
    unique_visitors integer NOT NULL,
    run_id          bigint  NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, page_name)
);
