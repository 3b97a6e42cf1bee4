-- Referrals created before the end of the as-of shop day (README, "Referrals"). Read BY POSITION:
--   1 id   2 referrer_id   3 referee_id   4 status (upper case)   5 referrer_bonus_rwf (whole francs)
--   6 referrer_bonus_points   7 created_at   8 completed_at
-- :as_of_end is replaced with a timestamptz literal.
SELECT r.id,
       r.referrer_id,
       r.referee_id,
       r.status,
       r.referrer_bonus_rwf,
       r.referrer_bonus_points,
       r.created_at,
       r.completed_at
FROM public.subscriptions_referralprogram r
WHERE r.created_at < :as_of_end
