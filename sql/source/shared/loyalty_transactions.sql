-- The loyalty transactions of both of the shop's stores (README, "Loyalty points"), defined once: customer_loyalty.sql
-- sums them and customer_loyalty_changes.sql lists them, where they write :loyalty_transactions. One row each:
--   user_id, source (the table), id, points (bigint), earned, redeemed, created_at
-- Order store (loyalty_pointstransaction): 'earned' and 'bonus' rows are earned, 'redeemed' rows redeemed (the
-- absolute value: the shop may store them negative); 'expired' and 'adjusted' rows are neither.
-- Subscription store (subscriptions_loyaltytransaction): EARN and BONUS earned, REDEEM redeemed; ADJUSTMENT neither.
-- Points are widened to bigint before abs(): abs(-2147483648) does not fit an integer.
-- Which rows: created before :before, and created at or after :since or with an id above the store's high water
-- (:order_high_water, :subscription_high_water); a full read passes '-infinity' as :since.
SELECT t.user_id, 'loyalty_pointstransaction' AS source, t.id, t.points::bigint AS points,
       CASE WHEN t.transaction_type IN ('earned', 'bonus') THEN abs(t.points::bigint) ELSE 0 END AS earned,
       CASE WHEN t.transaction_type = 'redeemed' THEN abs(t.points::bigint) ELSE 0 END AS redeemed,
       t.created_at
FROM public.loyalty_pointstransaction t
WHERE t.created_at < :before AND (t.created_at >= :since OR t.id > :order_high_water)
UNION ALL
SELECT s.user_id, 'subscriptions_loyaltytransaction', s.id, s.points_amount::bigint,
       CASE WHEN upper(s.transaction_type) IN ('EARN', 'BONUS') THEN s.points_amount::bigint ELSE 0 END,
       CASE WHEN upper(s.transaction_type) = 'REDEEM' THEN s.points_amount::bigint ELSE 0 END,
       s.created_at
FROM public.subscriptions_loyaltytransaction s
WHERE s.created_at < :before AND (s.created_at >= :since OR s.id > :subscription_high_water)
