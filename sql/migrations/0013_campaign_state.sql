-- What a computed campaign's figures are made of, kept between runs so that a nightly run reads only the orders and
-- events of the days it recomputes (README, "What a nightly run reads"). A run that computes campaigns replaces the
-- rows of the campaigns it computes, drops those of campaigns no longer attributed, and replaces the run row and the
-- audience facts. A nightly run keeps a campaign's rows only when they were written by the run it starts from, every
-- day since is recomputed, the attributed campaigns are unchanged and no customer's audience facts changed on a kept
-- day; otherwise it reads the campaign's whole window again.

-- Per computed campaign and shop day, from the baseline's first day (28 days before the window) to the last day
-- counted: the coupon figures (window days only) and the audience's revenue.
CREATE TABLE analytics.campaign_state_days (
    campaign_id      bigint         NOT NULL,
    day              date           NOT NULL,
    coupon_orders    integer        NOT NULL,
    coupon_revenue   numeric(14, 2) NOT NULL,
    discount_given   numeric(14, 2) NOT NULL,
    audience_revenue numeric(14, 2) NOT NULL,
    run_id           bigint         NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (campaign_id, day)
);

-- Per computed campaign and customer reached in its window: the days reached, and the days converted (a sale credited
-- to the campaign), ascending. The distinct-customer figures are counted from these.
CREATE TABLE analytics.campaign_state_customers (
    campaign_id    bigint NOT NULL,
    user_id        bigint NOT NULL,
    reached_days   date[] NOT NULL,
    converted_days date[] NOT NULL,
    run_id         bigint NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (campaign_id, user_id)
);

-- The audience facts the kept rows were computed with, beside each customer's first sale (which
-- analytics.customer_sales_state keeps): tier since, referred at. One row per customer with either.
CREATE TABLE analytics.campaign_state_facts (
    user_id     bigint      PRIMARY KEY,
    vip_since   date,
    referred_at timestamptz,
    run_id      bigint      NOT NULL REFERENCES analytics.runs (id)
);

-- The day the kept rows are as of, the run that wrote them, and the attributed campaigns' definitions they were
-- computed for (id, coupon code, window, audience). One row.
CREATE TABLE analytics.campaign_state_run (
    as_of     date   NOT NULL,
    run_id    bigint NOT NULL REFERENCES analytics.runs (id),
    campaigns text   NOT NULL
);
