-- The customers as of a shop day (README, "Customers"): every user who is not staff and joined before the end of
-- that day (or whose date_joined is -infinity or infinity: kept with an unknown join date), with the VIP tier reached by then and whether a subscription is active. Read BY POSITION:
--   1 user_id   2 date_joined   3 tier_level (lower case; NULL without a tier)   4 subscription_active
-- :as_of_end is replaced with a timestamptz literal (the end of the as-of shop day), :as_of_day with a date.
-- The shop keeps no history of tiers or subscription statuses: the tier is the current row if it was achieved by the
-- as-of day, and a subscription counts if its status is 'active' now and it started by the as-of day.
SELECT u.id,
       u.date_joined,
       v.tier_level,
       (s.user_id IS NOT NULL) AS subscription_active
FROM public.auth_user u
LEFT JOIN (SELECT DISTINCT ON (user_id) user_id, tier_level
           FROM public.subscriptions_viptier
           WHERE achieved_at <= :as_of_day
           ORDER BY user_id, access_level DESC, id DESC) v ON v.user_id = u.id
LEFT JOIN (SELECT DISTINCT user_id
           FROM public.subscriptions_subscription
           WHERE status = 'active' AND start_date <= :as_of_day) s ON s.user_id = u.id
WHERE NOT u.is_staff
  AND (u.date_joined < :as_of_end OR NOT isfinite(u.date_joined))
