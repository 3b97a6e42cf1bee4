-- Orders created in a range of instants, with what the transforms need, in ascending id order (the daily extract
-- merges them with `order_items.sql`, read in the same snapshot on a second connection and in the same order).
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY POSITION, in this order:
--   1 id                     7 subtotal                 13 referral_discount_amount   19 is_corporate_employee
--   2 user_id                8 delivery_charge          14 total
--   3 user_exists            9 discount_amount (coupon) 15 created_at
--   4 status                10 loyalty_discount_amount  16 updated_at
--   5 payment_method        11 vip_discount_amount      17 delivered_at
--   6 payment_status        12 corporate_discount_amount 18 is_subscription
-- :from and :to are replaced with timestamptz literals (the UTC bounds of the shop days); [from, to).
-- Another shop adapts this file, not the Swift code: keep the columns, their order and their meaning.
SELECT o.id,
       o.user_id,
       (u.id IS NOT NULL) AS user_exists,
       o.status,
       o.payment_method,
       o.payment_status,
       o.subtotal,
       o.delivery_charge,
       o.discount_amount,
       o.loyalty_discount_amount,
       o.vip_discount_amount,
       o.corporate_discount_amount,
       o.referral_discount_amount,
       o.total,
       o.created_at,
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
