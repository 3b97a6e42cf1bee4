-- Every sale created before the end of the as-of shop day, oldest first (README, "Sale"; the customer figures rely
-- on this order). Checked like sql/source/orders.sql (a row that fails a check is left out of the customer figures).
-- Read BY POSITION:
--   1 id            6 payment_status    11 vip_discount_amount        15 created_at
--   2 user_id       7 subtotal          12 corporate_discount_amount
--   3 user_exists   8 delivery_charge   13 referral_discount_amount
--   4 status        9 discount_amount   14 total
--   5 payment_method 10 loyalty_discount_amount
-- :as_of_end is replaced with a timestamptz literal (the end of the as-of shop day); :users with NULL (every user)
-- or a bigint[] literal (a nightly run re-reads only the users whose orders it recomputes, and the rows dated before
-- the shop's dates, :shop_start, which every run reports).
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
       o.created_at
FROM public.orders_order o
LEFT JOIN public.auth_user u ON u.id = o.user_id
WHERE o.status = 'delivered'
  AND o.payment_status <> 'refunded'
  AND o.created_at < :as_of_end
  AND (:users IS NULL OR o.user_id = ANY(:users) OR o.created_at < :shop_start)
ORDER BY o.created_at, o.id
