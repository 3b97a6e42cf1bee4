-- Orders created in a range of instants, with what the transforms need, in ascending id order (the daily extract
-- merges them with `order_items.sql`, read in the same snapshot on a second connection and in the same order).
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY NAME: the shared order columns
-- (:order_columns, sql/source/shared/order_columns.sql) and
--   updated_at               timestamptz of the order's last change
--   delivered_at             timestamptz, or NULL when not delivered
--   is_subscription          true when a subscriptions_subscriptionorder row names the order
--   is_corporate_employee    true when the customer is a corporate_corporateemployee
-- :from and :to are replaced with timestamptz literals (the UTC bounds of the shop days); [from, to).
-- Another shop adapts this file, not the Swift code: keep the columns' names and meaning (their order is free).
SELECT :order_columns,
       o.updated_at,
       o.delivered_at,
       (so.order_id IS NOT NULL) AS is_subscription,
       (ce.user_id IS NOT NULL) AS is_corporate_employee
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
LEFT JOIN (SELECT DISTINCT order_id FROM public.subscriptions_subscriptionorder) so ON so.order_id = o.id
LEFT JOIN (SELECT DISTINCT user_id FROM public.corporate_corporateemployee) ce ON ce.user_id = o.user_id
WHERE o.created_at >= :from AND o.created_at < :to
ORDER BY o.id
