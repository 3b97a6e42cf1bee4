-- Every sale created before the end of the as-of shop day, oldest first (README, "Sale"; the customer figures rely
-- on this order). Checked like sql/source/orders.sql (a row that fails a check is left out of the customer figures).
-- Read BY NAME: the shared order columns (:order_columns, sql/source/shared/order_columns.sql); whether the customer
-- exists the job looks up in sql/source/order_lookups.sql, as for orders.sql (a join here made PostgreSQL sort the
-- sales again after reading them in created_at order: 11.9 s against 7.9 s at 10M orders).
-- :as_of_end is replaced with a timestamptz literal (the end of the as-of shop day), :shop_end with the start of the
-- day after the shop's last date (2100-01-01): the rows dated from then on (the year 2999, infinity), which no day's
-- extract ever reaches, come too, for the job to report them (README, "Rejected rows"). A nightly run that builds on
-- the kept sales reads sql/source/customer_sales_since.sql instead.
SELECT :order_columns
FROM public.orders_order o
WHERE :is_sale
  AND (o.created_at < :as_of_end OR o.created_at >= :shop_end)
ORDER BY o.created_at, o.id
