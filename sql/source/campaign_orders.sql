-- Orders created in a range of instants, with their coupon code, for campaign attribution and the funnel's gap
-- report. Read BY POSITION:
--   1 id              5 payment_method   9 discount_amount (coupon)   13 referral_discount_amount   17 coupon_code
--   2 user_id         6 payment_status  10 loyalty_discount_amount    14 total
--   3 user_exists     7 subtotal        11 vip_discount_amount        15 created_at
--   4 status          8 delivery_charge 12 corporate_discount_amount  16 updated_at
-- Rows are checked like sql/source/orders.sql's; the ones that fail are skipped here (the daily extract reports
-- them for their day). :from and :to are timestamptz literals; [from, to).
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
       o.coupon_code
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
WHERE o.created_at >= :from AND o.created_at < :to
