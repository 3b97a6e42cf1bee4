-- What the campaign audiences and the funnel's user types need about each customer, one row per customer who has
-- any of it, read BY POSITION:
--   1 user_id
--   2 first_sale_at   created_at of the customer's first sale (delivered, not refunded) before :to, or NULL
--   3 vip_since       subscriptions_viptier.achieved_at (a date), or NULL when the customer has no tier row
--   4 referred_at     earliest created_at of a subscriptions_referralprogram row naming the customer as referee
--                     (status other than CANCELLED), or NULL
-- :to is a timestamptz literal (the end of the job's last shop day).
WITH first_sale AS (
    SELECT o.user_id, min(o.created_at) AS at
    FROM public.orders_order o
    WHERE o.status = 'delivered' AND o.payment_status <> 'refunded' AND o.created_at < :to
    GROUP BY o.user_id
), vip AS (
    SELECT v.user_id, min(v.achieved_at) AS since
    FROM public.subscriptions_viptier v
    GROUP BY v.user_id
), referred AS (
    SELECT r.referee_id AS user_id, min(r.created_at) AS at
    FROM public.subscriptions_referralprogram r
    WHERE r.referee_id IS NOT NULL AND r.status <> 'CANCELLED'
    GROUP BY r.referee_id
)
SELECT COALESCE(f.user_id, v.user_id, r.user_id), f.at, v.since, r.at
FROM first_sale f
FULL JOIN vip v ON v.user_id = f.user_id
FULL JOIN referred r ON r.user_id = COALESCE(f.user_id, v.user_id)
