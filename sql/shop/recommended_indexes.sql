-- Indexes the job recommends on the shop's database (README, "Indexes on the shop"). The shop's own schema has none
-- on these columns, so finding one day's orders, or the orders changed since the last run, scans the whole table; and
-- finding the orders refunded in a range (sql/source/refunds.sql) scans it too, even with the index on updated_at when
-- the range is long (a backfill), beside the orders' own stream: the small partial index finds those few at once.
-- The order store of loyalty points has no index on created_at either (the subscription store has one), so a nightly
-- run's read of the transactions since the kept cutoff (sql/source/customer_loyalty_changes.sql) scans all of them.
-- CONCURRENTLY: the shop keeps taking orders while they are built (run with psql -f, outside a transaction).
-- The job works without them, slower.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_order_created_at_dusangire ON public.orders_order (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_order_updated_at_dusangire ON public.orders_order (updated_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_order_refunded_dusangire ON public.orders_order (updated_at) WHERE payment_status = 'refunded';
CREATE INDEX CONCURRENTLY IF NOT EXISTS loyalty_pointstransaction_created_at_dusangire ON public.loyalty_pointstransaction (created_at);
