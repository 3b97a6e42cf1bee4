-- The highest id of each loyalty store (0 when empty), read BY POSITION: 1 loyalty_pointstransaction,
-- 2 subscriptions_loyaltytransaction. Kept with the customers' loyalty sums: a transaction inserted after them has a
-- higher id, whatever its created_at (README, "What a nightly run reads"). Two primary-key lookups.
SELECT (SELECT COALESCE(max(id), 0) FROM public.loyalty_pointstransaction),
       (SELECT COALESCE(max(id), 0) FROM public.subscriptions_loyaltytransaction)
