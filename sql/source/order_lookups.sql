-- The ids the daily extract looks each order of `orders.sql` up in, read once per job, one row each:
--   user                 an auth_user id; an order whose user is not among them is rejected (missing_user)
--   subscription_order   an order a subscriptions_subscriptionorder row names (README, "Revenue by channel")
--   corporate_employee   a user who is a corporate_corporateemployee
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY POSITION: 1 kind (one of the words
-- above)  2 id (bigint). Any order; an id listed twice is harmless.
-- The job looks the orders up itself rather than joining these tables in `orders.sql`: the joins (hash joins, which
-- lose the table's order) made PostgreSQL sort every order of the range by id before sending the first one. At 10M
-- orders the orders' query took 37 s with them and 21 s without.
-- Another shop adapts this file, not the Swift code: keep the columns, their order and the words.
SELECT 'user' AS kind, u.id FROM public.auth_user u
UNION ALL
SELECT 'subscription_order', so.order_id FROM public.subscriptions_subscriptionorder so
UNION ALL
SELECT 'corporate_employee', ce.user_id FROM public.corporate_corporateemployee ce
