-- Campaign credit by coupon code only, audience lift against a four-week same-weekday baseline, ROI with its basis
-- and cost; the purchase model's dropout flag and its check on the shop's own history (README, "Campaigns" and
-- "Purchase and spend model").

-- Figures computed under the earlier rules credited sales to a campaign by audience: they are dropped, and the
-- next run (or a backfill over the campaigns' dates) computes them again.
DELETE FROM analytics.campaign_performance;
DELETE FROM analytics.campaign_daily;

ALTER TABLE analytics.campaign_performance DROP COLUMN orders_influenced;
ALTER TABLE analytics.campaign_performance RENAME COLUMN revenue_generated TO coupon_revenue;
ALTER TABLE analytics.campaign_performance RENAME COLUMN incremental_revenue TO lift;
ALTER TABLE analytics.campaign_performance ALTER COLUMN baseline_first_day SET NOT NULL;
ALTER TABLE analytics.campaign_performance
    ADD COLUMN lift_unmeasurable text CHECK (lift_unmeasurable IN ('short_history', 'unknown_audience')),
    ADD COLUMN return_basis      text NOT NULL CHECK (return_basis IN ('coupon', 'lift')),
    ADD COLUMN cost              numeric(14,2),
    ADD COLUMN cost_basis        text CHECK (cost_basis IN ('budget', 'discount')),
    ADD COLUMN roi_unmeasurable  text CHECK (roi_unmeasurable IN ('no_cost', 'short_history', 'unknown_audience'));

ALTER TABLE analytics.campaign_daily DROP COLUMN orders_influenced;
ALTER TABLE analytics.campaign_daily RENAME COLUMN revenue_generated TO coupon_revenue;

-- Whether the purchase model found customers dropping out (NULL for the spend model); the holdout fit of the
-- model check is logged as a third model.
ALTER TABLE analytics.churn_model_fit ADD COLUMN dropout_found boolean;
ALTER TABLE analytics.churn_model_fit DROP CONSTRAINT churn_model_fit_model_check;
ALTER TABLE analytics.churn_model_fit ADD CONSTRAINT churn_model_fit_model_check
    CHECK (model IN ('bg_nbd', 'gamma_gamma', 'bg_nbd_check'));

-- The purchase model checked on the shop's own history: fitted on the sales up to fitted_to (as_of - 30 days),
-- its predicted purchase days in the 30 days after against the actual ones, overall and by the customers' repeat
-- purchases at fitted_to (kind 'purchases'); and how well each way of flagging customers at risk at fitted_to
-- found the ones who then bought nothing in those 30 days (kind 'at_risk': customers flagged, and of them the
-- ones with no purchase; predicted is NULL there).
CREATE TABLE analytics.model_check (
    as_of     date             NOT NULL,
    fitted_to date             NOT NULL,
    kind      text             NOT NULL CHECK (kind IN ('purchases', 'at_risk')),
    position  integer          NOT NULL,
    label     text             NOT NULL,
    customers integer          NOT NULL,
    predicted double precision,
    actual    integer          NOT NULL,
    run_id    bigint           NOT NULL REFERENCES analytics.runs (id),
    PRIMARY KEY (as_of, kind, position)
);
