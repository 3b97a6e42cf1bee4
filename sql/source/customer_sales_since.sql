-- What sql/source/customer_sales.sql returns (same columns, read BY NAME; same order), for a nightly run that builds on
-- the kept sales, which hold each user's sales created before :since (the start of the kept state's day; README, "What
-- a nightly run reads"): every sale created from :since to :as_of_end, the whole history before :as_of_end of the
-- users in :users (a bigint[] literal: those with an order on a recomputed day before :since, whose kept sums are
-- replaced), and every other row dated before the shop's dates (:shop_start) or after them (from :shop_end, the start
-- of 2100-01-01, infinity included), which every run reports.
-- The listed users' orders are reached through the user_id index (orders_order_user_id_e9b59eb1), one index search
-- per user of the hashed list, never an element-by-element array check per row (`user_id = ANY(array)` was rechecked
-- that way: 335 s at 10M orders), and in a branch of their own: an OR with the other conditions forces a scan of every
-- order. The other branch is two index range scans (a BitmapOr) with the recommended created_at index (README,
-- "Indexes on the shop"); without it, one plain scan of the orders filtered on created_at, the list hashed once (NOT
-- IN a hashed subplan).
SELECT :order_columns
FROM (
    SELECT * FROM public.orders_order
    WHERE (created_at < :as_of_end OR created_at >= :shop_end) AND user_id IN (SELECT unnest(:users))
    UNION ALL
    SELECT * FROM public.orders_order
    WHERE ((created_at >= :since AND created_at < :as_of_end) OR created_at < :shop_start OR created_at >= :shop_end)
      AND user_id NOT IN (SELECT unnest(:users))
) o
WHERE :is_sale
ORDER BY o.created_at, o.id
