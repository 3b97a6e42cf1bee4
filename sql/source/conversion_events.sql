-- Conversion events in a range of instants, for the funnel. Read BY POSITION:
--   1 id   2 event_type   3 session_id   4 user_id (NULL when anonymous)   5 timestamp
-- metadata is not read. Rows with an unknown event_type or an empty session_id are set aside with a reason.
-- :from and :to are timestamptz literals; [from, to).
SELECT e.id, e.event_type, e.session_id, e.user_id, e."timestamp"
FROM public.analytics_conversionevent e
WHERE e."timestamp" >= :from AND e."timestamp" < :to
