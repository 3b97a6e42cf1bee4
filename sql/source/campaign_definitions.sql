-- Every campaign of the shop (analytics_campaign), read BY POSITION:
--   1 id                4 status           7 target_audience   10 budget (NULL when none)
--   2 name              5 discount_type    8 start_date
--   3 description       6 discount_value   9 end_date
-- The coupon code of a campaign is read from its description or name (README, "Campaigns"), not from a column.
-- Another shop adapts this file, not the Swift code: keep the columns, their order and their meaning.
SELECT c.id, c.name, c.description, c.status, c.discount_type, c.discount_value, c.target_audience,
       c.start_date, c.end_date, c.budget
FROM public.analytics_campaign c
ORDER BY c.id
