-- Logged-in customers' conversion events in a range of instants: a customer active in a campaign's window is
-- "reached" when eligible. Read BY POSITION:
--   1 user_id   2 timestamp
-- :from and :to are timestamptz literals; [from, to).
SELECT e.user_id, e."timestamp"
FROM public.analytics_conversionevent e
WHERE e.user_id IS NOT NULL AND e."timestamp" >= :from AND e."timestamp" < :to
