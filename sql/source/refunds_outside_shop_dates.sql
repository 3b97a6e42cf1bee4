-- The refunds dated outside the shop's dates: before :shop_start (the start of 2000-01-01) or from :shop_end (the
-- start of 2100-01-01) on, infinity included. No range's sql/source/refunds.sql reaches them, so each job reads them
-- once and reports each as a rejected row dated its last day (README, "Rejected rows"): a refund is never dropped
-- without a word. Same columns as sql/source/refunds.sql, read BY POSITION, same meaning:
--   1 kind ('refund_request' or 'refunded_order')   2 source_id   3 order_id   4 amount   5 happened_at
-- A refund request comes without its order (NULL; its own id names it): PostgreSQL expects a third of the requests to
-- lie outside the dates, and reached the orders through the payments by reading every payment (a hash join), or, as
-- a subquery, compiled the query first (JIT): 0.18-0.2 s at 10M orders for a scan that takes 0.03 s and finds nothing.
SELECT 'refund_request', r.id, NULL::bigint, r.refund_amount, COALESCE(r.refund_completed_at, r.updated_at)
FROM public.payments_refundrequest r
WHERE r.status = 'COMPLETED'
  AND (COALESCE(r.refund_completed_at, r.updated_at) < :shop_start OR COALESCE(r.refund_completed_at, r.updated_at) >= :shop_end)
UNION ALL
SELECT 'refunded_order', o.id, o.id, o.total, o.updated_at
FROM public.orders_order o
WHERE o.payment_status = 'refunded' AND (o.updated_at < :shop_start OR o.updated_at >= :shop_end)
