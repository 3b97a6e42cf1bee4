-- Past periods re-render with the figures they had (README, "Reports"; issue 8): the purchase model's totals are kept
-- per as-of day (customer_metrics holds only the latest computation), and campaign figures per campaign and as-of day
-- instead of one row per campaign that every later job replaced.

CREATE TABLE analytics.customer_model_totals (
    as_of               date             PRIMARY KEY,
    customers_predicted integer          NOT NULL,
    expected_sales_30d  double precision NOT NULL,
    expected_sales_90d  double precision NOT NULL,
    clv_12_months       numeric(16,2),
    run_id              bigint           NOT NULL REFERENCES analytics.runs (id)
);

-- The totals of the computation already stored.
INSERT INTO analytics.customer_model_totals (as_of, customers_predicted, expected_sales_30d, expected_sales_90d, clv_12_months, run_id)
SELECT as_of, count(probability_alive), coalesce(sum(expected_sales_30d), 0), coalesce(sum(expected_sales_90d), 0), sum(clv_12_months), max(run_id)
FROM analytics.customer_metrics
GROUP BY as_of
HAVING count(probability_alive) > 0;

ALTER TABLE analytics.campaign_performance DROP CONSTRAINT campaign_performance_pkey;
ALTER TABLE analytics.campaign_performance ADD PRIMARY KEY (campaign_id, as_of);
