-- Whether any sale (README, "Sale") was created from :earliest (the start of 2000-01-01 in the shop's time zone: an
-- earlier created_at is set aside, never counted) to :before (the start of a backfill's first day), read BY POSITION: 1 true or false. When none
-- was, the backfill's order stream holds every sale the customer figures count, and the customer stage sums them as
-- they stream instead of reading them again (README, "What a backfill reads"). One search of the recommended
-- created_at index (README, "Indexes on the shop"); without it, a scan of the orders that stops at the first sale found.
SELECT EXISTS (SELECT 1 FROM public.orders_order o WHERE :is_sale AND o.created_at >= :earliest AND o.created_at < :before)
