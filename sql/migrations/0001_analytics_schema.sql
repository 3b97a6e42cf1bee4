-- The project's own analytics schema. Money is numeric(14,2): exact francs and hundredths, as the shop stores them.
-- Every table keyed by shop day is replaced range by range, in one transaction per run.
CREATE SCHEMA IF NOT EXISTS analytics;

-- One row per command run: what it did and how it ended. A 'running' row whose process died is marked
-- 'abandoned' by the next run that takes the lock.
CREATE TABLE analytics.runs (
    id              bigserial PRIMARY KEY,
    command         text        NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    range_first     date,
    range_last      date,
    days_recomputed integer     NOT NULL DEFAULT 0,
    rows_read       bigint      NOT NULL DEFAULT 0,
    rows_written    bigint      NOT NULL DEFAULT 0,
    rows_rejected   bigint      NOT NULL DEFAULT 0,
    status          text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    error           text,
    -- The source's clock when the extract started; the next `run` looks for changes after it.
    watermark       timestamptz,
    time_zone       text        NOT NULL,
    version         text        NOT NULL
);

CREATE TABLE analytics.daily_snapshot (
    day                       date PRIMARY KEY,
    total_orders              integer       NOT NULL,
    unique_customers          integer       NOT NULL,
    total_revenue             numeric(14,2) NOT NULL,
    total_discount            numeric(14,2) NOT NULL,
    average_order_value       numeric(14,2) NOT NULL,
    vip_orders                integer       NOT NULL,
    subscription_orders       integer       NOT NULL,
    referral_orders           integer       NOT NULL,
    cash_orders               integer       NOT NULL,
    mobile_money_orders       integer       NOT NULL,
    bank_transfer_orders      integer       NOT NULL,
    card_orders               integer       NOT NULL,
    vip_discounts_given       numeric(14,2) NOT NULL,
    loyalty_discounts_given   numeric(14,2) NOT NULL,
    referral_discounts_given  numeric(14,2) NOT NULL,
    gross_sales               numeric(14,2) NOT NULL,
    delivery_charges          numeric(14,2) NOT NULL,
    coupon_discounts_given    numeric(14,2) NOT NULL,
    corporate_discounts_given numeric(14,2) NOT NULL,
    items_sold                bigint        NOT NULL,
    orders_placed             integer       NOT NULL,
    cancelled_orders          integer       NOT NULL,
    refunded_orders           integer       NOT NULL,
    refunded_order_value      numeric(14,2) NOT NULL,
    refunds_completed         integer       NOT NULL,
    refund_amount             numeric(14,2) NOT NULL,
    late_deliveries           integer       NOT NULL,
    run_id                    bigint        NOT NULL REFERENCES analytics.runs (id)
);

CREATE TABLE analytics.revenue_by_channel (
    day          date          NOT NULL,
    channel      text          NOT NULL,
    amount       numeric(14,2) NOT NULL,
    transactions integer       NOT NULL,
    run_id       bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, channel)
);

CREATE TABLE analytics.payment_methods (
    day            date          NOT NULL,
    payment_method text          NOT NULL,
    orders         integer       NOT NULL,
    amount         numeric(14,2) NOT NULL,
    run_id         bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, payment_method)
);

CREATE TABLE analytics.discounts (
    day      date          NOT NULL,
    kind     text          NOT NULL,
    orders   integer       NOT NULL,
    amount   numeric(14,2) NOT NULL,
    run_id   bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, kind)
);

-- Source rows set aside, with the reason; replaced with the day they belong to.
CREATE TABLE analytics.rejected_rows (
    id        bigserial PRIMARY KEY,
    run_id    bigint NOT NULL REFERENCES analytics.runs (id),
    source    text   NOT NULL,
    source_id text,
    day       date,
    reason    text   NOT NULL,
    detail    text   NOT NULL,
    raw       text   NOT NULL
);
CREATE INDEX rejected_rows_day ON analytics.rejected_rows (source, day);
