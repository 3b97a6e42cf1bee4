-- Every sale created before the end of the as-of shop day, oldest first (README, "Sale"; the customer figures rely
-- on this order). Checked like sql/source/orders.sql (a row that fails a check is left out of the customer figures).
-- Read BY NAME: the shared order columns (:order_columns, sql/source/shared/order_columns.sql) and user_exists (the
-- customer's auth_user row exists).
-- :as_of_end is replaced with a timestamptz literal (the end of the as-of shop day). A nightly run that builds on
-- the kept sales reads sql/source/customer_sales_since.sql instead.
SELECT :order_columns,
       (u.id IS NOT NULL) AS user_exists
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
WHERE :is_sale
  AND o.created_at < :as_of_end
ORDER BY o.created_at, o.id
