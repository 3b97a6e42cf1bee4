-- Refunds that happened in a range of instants, read BY POSITION:
--   1 kind ('refund_request' or 'refunded_order')   2 source_id   3 order_id   4 amount   5 happened_at
-- refund_request: payments_refundrequest with status COMPLETED (upper case in the shop), at refund_completed_at,
--                 or at its last update when the shop did not record the completion time.
-- refunded_order: orders_order with payment_status 'refunded', at updated_at (the shop keeps no refund time).
SELECT 'refund_request', r.id, p.order_id, r.refund_amount, COALESCE(r.refund_completed_at, r.updated_at)
FROM public.payments_refundrequest r
JOIN public.payments_payment p ON p.id = r.payment_id
WHERE r.status = 'COMPLETED'
  AND COALESCE(r.refund_completed_at, r.updated_at) >= :from
  AND COALESCE(r.refund_completed_at, r.updated_at) < :to
UNION ALL
SELECT 'refunded_order', o.id, o.id, o.total, o.updated_at
FROM public.orders_order o
WHERE o.payment_status = 'refunded' AND o.updated_at >= :from AND o.updated_at < :to
