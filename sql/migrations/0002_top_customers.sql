-- Each day's best customers by revenue, with their display names (personal data: reports that show it go only to
-- recipients allowed to see customers).
CREATE TABLE analytics.top_customers (
    day           date          NOT NULL,
    rank          integer       NOT NULL,
    user_id       bigint        NOT NULL,
    customer_name text          NOT NULL,
    sales         integer       NOT NULL,
    revenue       numeric(14,2) NOT NULL,
    run_id        bigint        NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (day, rank)
);
