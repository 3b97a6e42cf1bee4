-- Every sale created before the end of the as-of shop day, oldest first (README, "Sale"; the customer figures rely
-- on this order). Checked like sql/source/orders.sql (a row that fails a check is left out of the customer figures).
-- Read BY NAME: the shared order columns (:order_columns, sql/source/shared/order_columns.sql).
-- :as_of_end is replaced with a timestamptz literal (the end of the as-of shop day); :users with NULL (every user)
-- or a bigint[] literal (a nightly run re-reads only the users whose orders it recomputes, and the rows dated before
-- the shop's dates, :shop_start, which every run reports).
SELECT :order_columns
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
WHERE :is_sale
  AND o.created_at < :as_of_end
  AND (:users IS NULL OR o.user_id IN (SELECT unnest(:users)) OR o.created_at < :shop_start)
ORDER BY o.created_at, o.id
