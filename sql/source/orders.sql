-- Orders created in a range of instants, with what the transforms need, in ascending id order (the daily extract
-- merges them with `order_items.sql`, read in the same snapshot on a second connection and in the same order).
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY NAME: the shared order columns
-- (:order_columns, sql/source/shared/order_columns.sql) and
--   updated_at               timestamptz of the order's last change
--   delivered_at             timestamptz, or NULL when not delivered
--   coupon_code              the coupon the order used, or empty (campaign attribution, when a backfill's campaigns
--                            take their orders from this stream)
-- Whether the customer exists, the order is a subscription's and the customer a corporate employee, the job looks up
-- in the ids of sql/source/order_lookups.sql: with no join here, PostgreSQL reads a range through the primary key in
-- id order and sends the first order at once, instead of sorting them all first.
-- :from and :to are replaced with timestamptz literals (the UTC bounds of the shop days); [from, to).
-- Another shop adapts this file, not the Swift code: keep the columns' names and meaning (their order is free).
SELECT :order_columns,
       o.updated_at,
       o.delivered_at,
       o.coupon_code
FROM public.orders_order o
WHERE o.created_at >= :from AND o.created_at < :to
ORDER BY o.id
