-- Loyalty points earned and redeemed per user before the end of the as-of shop day, from both of the shop's
-- stores (README, "Loyalty points"). Read BY POSITION:
--   1 user_id   2 points_earned   3 points_redeemed
--   4 set_aside: the user's transactions left out because their points are beyond +-:max_points (README,
--     "Rejected rows", out_of_range), as a text array of 'table/id/points' (NULL when there are none)
-- Order store (loyalty_pointstransaction): 'earned' and 'bonus' rows are earned, 'redeemed' rows redeemed (the
-- absolute value: the shop may store them negative); 'expired' and 'adjusted' rows are neither.
-- Subscription store (subscriptions_loyaltytransaction): EARN and BONUS earned, REDEEM redeemed; ADJUSTMENT neither.
-- Points are widened to bigint before abs(): abs(-2147483648) does not fit an integer.
-- :as_of_end is replaced with a timestamptz literal, :max_points with a whole number.
SELECT user_id,
       COALESCE(sum(earned) FILTER (WHERE abs(points) <= :max_points), 0)::bigint,
       COALESCE(sum(redeemed) FILTER (WHERE abs(points) <= :max_points), 0)::bigint,
       array_agg(source || '/' || id || '/' || points ORDER BY source, id) FILTER (WHERE abs(points) > :max_points)
FROM (
    SELECT t.user_id, 'loyalty_pointstransaction' AS source, t.id, t.points::bigint AS points,
           CASE WHEN t.transaction_type IN ('earned', 'bonus') THEN abs(t.points::bigint) ELSE 0 END AS earned,
           CASE WHEN t.transaction_type = 'redeemed' THEN abs(t.points::bigint) ELSE 0 END AS redeemed
    FROM public.loyalty_pointstransaction t
    WHERE t.created_at < :as_of_end
    UNION ALL
    SELECT s.user_id, 'subscriptions_loyaltytransaction', s.id, s.points_amount::bigint,
           CASE WHEN upper(s.transaction_type) IN ('EARN', 'BONUS') THEN s.points_amount::bigint ELSE 0 END,
           CASE WHEN upper(s.transaction_type) = 'REDEEM' THEN s.points_amount::bigint ELSE 0 END
    FROM public.subscriptions_loyaltytransaction s
    WHERE s.created_at < :as_of_end
) points
GROUP BY user_id
