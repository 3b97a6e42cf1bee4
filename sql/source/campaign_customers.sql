-- What the campaign audiences and the funnel's user types need about each customer, one row per customer who has
-- any of it, read BY POSITION:
--   1 user_id
--   2 first_sale_at   created_at of the customer's first sale before :to, or NULL. A sale here is what the daily
--                     extract and customer_metrics count (README, "Sale" and "Rejected rows"): delivered, not refunded,
--                     AND a row the daily extract would not reject (known user, payment method and payment status;
--                     no negative amount; total = subtotal + delivery_charge - the five discounts; created_at from
--                     2000-01-01 and not after now(); no NaN, which the extract cannot read: PostgreSQL's NaN is
--                     >= 0 and equal to itself, so only total <> 'NaN' keeps it out, and with it a NaN in any column
--                     the total is checked against). Keep these checks in step with Shop/OrderCandidate.swift.
--   3 vip_since       subscriptions_viptier.achieved_at (a date), or NULL when the customer has no tier row
--   4 referred_at     earliest created_at of a subscriptions_referralprogram row naming the customer as referee
--                     (status other than CANCELLED), or NULL
-- :to is a timestamptz literal (the end of the job's last shop day), :earliest one for the start of 2000-01-01 in the shop's time zone; :users
-- NULL (every customer's first sale) or a bigint[] literal (only those customers' first sales: a nightly run takes the
-- others from the warehouse; vip_since and referred_at still come for every customer). The orders come from one of
-- two branches, and the literal NULL or array makes the planner drop the one that does not apply: a full read is the
-- plain scan it was, and a list is read through the user_id index (orders_order_user_id_e9b59eb1), one index search
-- per user of the hashed list. One condition with OR (":users IS NULL OR user_id IN ...") forced a scan of every
-- order; `user_id = ANY(array)` was checked element by element per row (335 s at 10M orders). Neither branch needs the
-- created_at index.
WITH first_sale AS (
    SELECT o.user_id, min(o.created_at) AS at
    FROM (
        SELECT * FROM public.orders_order WHERE :users IS NULL
        UNION ALL
        SELECT * FROM public.orders_order WHERE :users IS NOT NULL AND user_id IN (SELECT unnest(:users))
    ) o
    JOIN public.auth_user u ON u.id = o.user_id
    WHERE :is_sale AND o.created_at < :to
      AND o.payment_status IN ('pending', 'processing', 'completed', 'failed')
      AND o.payment_method IN ('cash_on_delivery', 'mtn_mobile_money', 'airtel_money', 'bank_transfer', 'card')
      AND o.subtotal >= 0 AND o.delivery_charge >= 0 AND o.discount_amount >= 0 AND o.loyalty_discount_amount >= 0
      AND o.vip_discount_amount >= 0 AND o.corporate_discount_amount >= 0 AND o.referral_discount_amount >= 0
      AND o.total >= 0 AND o.total <> 'NaN'
      AND o.total = o.subtotal + o.delivery_charge - o.discount_amount - o.loyalty_discount_amount
                    - o.vip_discount_amount - o.corporate_discount_amount - o.referral_discount_amount
      AND o.created_at >= :earliest AND o.created_at <= now()
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
