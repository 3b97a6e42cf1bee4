-- Catering bookings that count as revenue, on their event date, read BY POSITION:
--   1 id   2 event_date   3 total_price
-- Counted: status confirmed or completed. Catering revenue is not in orders_order.
-- :from_day and :to_day are date literals; [from_day, to_day].
SELECT b.id, b.event_date, b.total_price
FROM public.catering_cateringbooking b
WHERE b.status IN ('confirmed', 'completed')
  AND b.event_date >= :from_day AND b.event_date <= :to_day
