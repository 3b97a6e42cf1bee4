-- The loyalty transactions a nightly run adds to the customers' kept sums (README, "What a nightly run reads"): those
-- created before :before and created at or after :since (the end of what the kept sums counted) or inserted since
-- (an id above the store's high water when the sums were kept). One row per transaction, read BY POSITION:
--   1 user_id  2 source (the table)  3 id  4 points  5 earned  6 redeemed  7 created_at
-- What is earned and redeemed: sql/source/shared/loyalty_transactions.sql. Neither store has an index on created_at
-- that serves this (the order store's is on user_id, created_at): each store is read in one plain scan, its rows
-- filtered on created_at and id, without grouping.
SELECT * FROM (
:loyalty_transactions
) t
