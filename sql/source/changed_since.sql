-- What changed in the shop since the last successful run (:since, a timestamptz literal), as instants and dates
-- whose shop days must be recomputed. Read BY POSITION:  1 instant (timestamptz or NULL)  2 day (date or NULL)
-- An order edited after its day was computed (delivered late, cancelled, refunded) moves its created_at day;
-- a refund moves the day it happened; a catering booking moves its event date.
SELECT o.created_at, NULL::date FROM public.orders_order o WHERE o.updated_at > :since
UNION
SELECT o.updated_at, NULL::date FROM public.orders_order o
WHERE o.updated_at > :since AND o.payment_status = 'refunded'
UNION
SELECT COALESCE(r.refund_completed_at, r.updated_at), NULL::date FROM public.payments_refundrequest r
WHERE r.updated_at > :since AND r.status = 'COMPLETED'
UNION
SELECT NULL::timestamptz, b.event_date FROM public.catering_cateringbooking b WHERE b.updated_at > :since
