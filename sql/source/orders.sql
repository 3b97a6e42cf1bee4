-- Orders created in a range of instants, with what the transforms need.
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY POSITION, in this order:
--   1 id                     7 subtotal                 13 referral_discount_amount   19 is_corporate_employee
--   2 user_id                8 delivery_charge          14 total                      20 items_sold
--   3 user_exists            9 discount_amount (coupon) 15 created_at
--   4 status                10 loyalty_discount_amount  16 updated_at
--   5 payment_method        11 vip_discount_amount      17 delivered_at
--   6 payment_status        12 corporate_discount_amount 18 is_subscription   21 lines
-- lines: the order's orders_orderitem rows as "id:menu_item_id:quantity:subtotal:menu_item_exists" joined by ","
-- (an empty field where the shop has NULL; exists is t or f), read in the same join as items_sold.
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
       (ce.user_id IS NOT NULL) AS is_corporate_employee,
       COALESCE(it.items, 0) AS items_sold,
       COALESCE(it.lines, '') AS lines
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
LEFT JOIN (SELECT DISTINCT order_id FROM public.subscriptions_subscriptionorder) so ON so.order_id = o.id
LEFT JOIN (SELECT DISTINCT user_id FROM public.corporate_corporateemployee) ce ON ce.user_id = o.user_id
LEFT JOIN (SELECT i.order_id, sum(i.quantity) AS items,
                  string_agg(concat(i.id, ':', i.menu_item_id, ':', i.quantity, ':', i.subtotal, ':',
                                    CASE WHEN m.id IS NULL THEN 'f' ELSE 't' END), ',') AS lines
           FROM public.orders_orderitem i
           JOIN public.orders_order io ON io.id = i.order_id
           LEFT JOIN public.menu_menuitem m ON m.id = i.menu_item_id
           WHERE io.created_at >= :from AND io.created_at < :to
           GROUP BY i.order_id) it ON it.order_id = o.id
WHERE o.created_at >= :from AND o.created_at < :to
