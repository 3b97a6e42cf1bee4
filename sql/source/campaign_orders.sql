-- Orders created in a range of instants, with their coupon code, for campaign attribution and the funnel's gap
-- report. Read BY NAME: the shared order columns (:order_columns, sql/source/shared/order_columns.sql) and
--   updated_at    timestamptz of the order's last change
--   coupon_code   the coupon the order used, or empty
-- Rows are checked like sql/source/orders.sql's; the ones that fail are skipped here (the daily extract reports
-- them for their day). :from and :to are timestamptz literals; [from, to).
SELECT :order_columns,
       o.updated_at,
       o.coupon_code
FROM public.orders_order o
WHERE o.created_at >= :from AND o.created_at < :to
