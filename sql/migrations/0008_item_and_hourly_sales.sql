-- Dishes and hours (README, "Dishes" and "Hours"). Both are keyed by shop day and replaced with their days, in the
-- job's one load transaction, like every day-keyed table.

-- One row per shop day and menu item with at least one sale that day. revenue = sum of the items' subtotal
-- (price x quantity at order time), before the order-level discounts. item_name and category are the menu's names
-- when the day was computed (the shop keeps no history of names).
CREATE TABLE analytics.item_sales (
    day          date          NOT NULL,
    menu_item_id bigint        NOT NULL,
    item_name    text          NOT NULL,
    category     text          NOT NULL,
    quantity     bigint        NOT NULL,
    revenue      numeric(14,2) NOT NULL,
    run_id       bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, menu_item_id)
);

-- One row per shop day and hour 0-23 of the shop's clock, for every day computed (zeros included): the day's sales
-- created in that hour and their total.
CREATE TABLE analytics.hourly_sales (
    day      date          NOT NULL,
    hour     smallint      NOT NULL CHECK (hour BETWEEN 0 AND 23),
    orders   integer       NOT NULL,
    revenue  numeric(14,2) NOT NULL,
    run_id   bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, hour)
);
