-- The shop's own analytics tables when they live in another database (DUSANGIRE_DJANGO_URL): the warehouse is the
-- source of truth, and the two databases cannot commit together. A job therefore writes the rows meant for the
-- shop's tables here, in its warehouse transaction, with the run marked `shop_tables = 'pending'`; after that commit
-- it copies them into the shop's tables in one shop transaction, then empties these tables and marks the run
-- 'synced'. A job (or `sync-shop`) that finds pending runs copies these rows first. Copying is idempotent (upserts
-- on the shop's unique keys; a campaign's row replaces the one tracked the same shop day), so a crash at any point
-- is repaired by copying again. README, "Reruns, locks and crashes".

-- NULL: the run wrote no shop tables in another database; 'pending': written here, not yet in the shop's database;
-- 'synced': in the shop's database too.
ALTER TABLE analytics.runs ADD COLUMN shop_tables text CHECK (shop_tables IN ('pending', 'synced'));

CREATE SCHEMA shop_tables_pending;

-- Same names, columns, types and unique keys as the shop's tables (sql/shop/0001_shop_schema.sql), without `id`.
CREATE TABLE shop_tables_pending.analytics_dailyanalyticssnapshot (
    date                     date          NOT NULL UNIQUE,
    total_orders             integer       NOT NULL,
    unique_customers         integer       NOT NULL,
    total_revenue            numeric(12,2) NOT NULL,
    total_discount           numeric(12,2) NOT NULL,
    average_order_value      numeric(10,2) NOT NULL,
    vip_orders               integer       NOT NULL,
    subscription_orders      integer       NOT NULL,
    referral_orders          integer       NOT NULL,
    cash_orders              integer       NOT NULL,
    mobile_money_orders      integer       NOT NULL,
    bank_transfer_orders     integer       NOT NULL,
    card_orders              integer       NOT NULL,
    vip_discounts_given      numeric(12,2) NOT NULL,
    loyalty_discounts_given  numeric(12,2) NOT NULL,
    referral_discounts_given numeric(12,2) NOT NULL,
    created_at               timestamptz   NOT NULL,
    updated_at               timestamptz   NOT NULL
);

CREATE TABLE shop_tables_pending.analytics_revenuestream (
    date              date                  NOT NULL,
    channel           character varying(50) NOT NULL,
    amount            numeric(12,2)         NOT NULL,
    transaction_count integer               NOT NULL,
    created_at        timestamptz           NOT NULL,
    updated_at        timestamptz           NOT NULL,
    UNIQUE (date, channel)
);

CREATE TABLE shop_tables_pending.analytics_customermetrics (
    total_orders             integer               NOT NULL,
    total_spent              numeric(12,2)         NOT NULL,
    average_order_value      numeric(10,2)         NOT NULL,
    first_order_date         timestamptz,
    last_order_date          timestamptz,
    days_since_last_order    integer               NOT NULL,
    lifetime_value           numeric(12,2)         NOT NULL,
    churn_risk               boolean               NOT NULL,
    vip_tier_current         character varying(20) NOT NULL,
    subscription_active      boolean               NOT NULL,
    loyalty_points_earned    integer               NOT NULL,
    loyalty_points_redeemed  integer               NOT NULL,
    loyalty_value_redeemed   numeric(12,2)         NOT NULL,
    referral_count           integer               NOT NULL,
    referral_earnings        numeric(12,2)         NOT NULL,
    total_discounts_received numeric(12,2)         NOT NULL,
    vip_discounts_received   numeric(12,2)         NOT NULL,
    updated_at               timestamptz           NOT NULL,
    user_id                  integer               NOT NULL UNIQUE
);

CREATE TABLE shop_tables_pending.analytics_campaignperformance (
    orders_influenced   integer       NOT NULL,
    revenue_generated   numeric(12,2) NOT NULL,
    customers_reached   integer       NOT NULL,
    customers_converted integer       NOT NULL,
    conversion_rate     numeric(5,2)  NOT NULL,
    roi                 numeric(8,2)  NOT NULL,
    tracked_at          timestamptz   NOT NULL,
    campaign_id         bigint        NOT NULL
);
