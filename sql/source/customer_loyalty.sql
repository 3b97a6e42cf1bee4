-- Loyalty points earned and redeemed per user before the end of the as-of shop day, from both of the shop's
-- stores (README, "Loyalty points"). Read BY POSITION:
--   1 user_id   2 points_earned   3 points_redeemed
-- Order store (loyalty_pointstransaction): 'earned' and 'bonus' rows are earned, 'redeemed' rows redeemed (the
-- absolute value: the shop may store them negative); 'expired' and 'adjusted' rows are neither.
-- Subscription store (subscriptions_loyaltytransaction): EARN and BONUS earned, REDEEM redeemed; ADJUSTMENT neither.
-- :as_of_end is replaced with a timestamptz literal.
SELECT user_id, sum(earned)::bigint, sum(redeemed)::bigint
FROM (
    SELECT t.user_id,
           CASE WHEN t.transaction_type IN ('earned', 'bonus') THEN abs(t.points) ELSE 0 END AS earned,
           CASE WHEN t.transaction_type = 'redeemed' THEN abs(t.points) ELSE 0 END AS redeemed
    FROM public.loyalty_pointstransaction t
    WHERE t.created_at < :as_of_end
    UNION ALL
    SELECT s.user_id,
           CASE WHEN upper(s.transaction_type) IN ('EARN', 'BONUS') THEN s.points_amount ELSE 0 END,
           CASE WHEN upper(s.transaction_type) = 'REDEEM' THEN s.points_amount ELSE 0 END
    FROM public.subscriptions_loyaltytransaction s
    WHERE s.created_at < :as_of_end
) points
GROUP BY user_id
