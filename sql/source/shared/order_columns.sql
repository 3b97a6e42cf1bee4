-- The order columns every order extract shares, defined once: sql/source/orders.sql, customer_sales.sql,
-- customer_sales_since.sql and campaign_orders.sql put them where they write :order_columns, over
--   FROM public.orders_order o
-- Whether the customer's auth_user row exists (else the order is rejected: missing_user) the job looks up in the ids
-- of sql/source/order_lookups.sql, for every order extract.
-- The job reads them BY NAME (the order of the columns does not matter): an adapted file may compute a column another
-- way but keeps its name and meaning.
--   id, user_id           the order and its customer
--   status, payment_method, payment_status    as the shop spells them (README, "Sale")
--   subtotal, delivery_charge, total           numeric RWF; total = subtotal + delivery_charge - the five discounts
--   discount_amount       the coupon's discount; loyalty_, vip_, corporate_ and referral_discount_amount the others
--   created_at            timestamptz: the order's shop day
o.id,
o.user_id,
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
o.created_at
