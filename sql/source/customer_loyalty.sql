-- Loyalty points earned and redeemed per user, both stores (README, "Loyalty points"), over the transactions of
-- :loyalty_transactions (sql/source/shared/loyalty_transactions.sql: which ones, and what is earned and redeemed).
-- Read BY POSITION:
--   1 user_id   2 points_earned   3 points_redeemed
--   4 set_aside: the user's transactions left out because their points are beyond +-:max_points (README, "Rejected
--     rows", out_of_range), as a text array of 'table/id/points' ordered by table and id (NULL when there are none)
-- :before is replaced with a timestamptz literal, :max_points with a whole number.
SELECT user_id,
       COALESCE(sum(earned) FILTER (WHERE abs(points) <= :max_points), 0)::bigint,
       COALESCE(sum(redeemed) FILTER (WHERE abs(points) <= :max_points), 0)::bigint,
       array_agg(source || '/' || id || '/' || points ORDER BY source, id) FILTER (WHERE abs(points) > :max_points)
FROM (
:loyalty_transactions
) points
GROUP BY user_id
