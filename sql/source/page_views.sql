-- Page views per page and day (analytics_pageviewanalytics; `date` is already a shop day). Read BY POSITION:
--   1 id   2 page_name   3 date   4 view_count   5 unique_visitors
-- :from_day and :to_day are date literals; [from_day, to_day].
SELECT p.id, p.page_name, p.date, p.view_count, p.unique_visitors
FROM public.analytics_pageviewanalytics p
WHERE p.date >= :from_day AND p.date <= :to_day
ORDER BY p.date, p.page_name
