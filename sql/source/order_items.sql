-- The lines (orders_orderitem) of the orders created in a range of instants, in ascending order id: the daily extract
-- merges them with `orders.sql` (same range, same snapshot, read on a second connection) and puts each order's lines
-- in id order itself (ordering them here made PostgreSQL sort every line again after the index on order_id).
-- No join to the orders: the lines are those whose order id lies from the range's first order (:first_order_id, the
-- lowest id the orders stream gave) to the newest order created before the range's end. The job skips the lines of
-- orders outside the range that fall between (none in a shop whose order ids follow the clock) and does not count
-- them as read. That newest order is found among the newest 100,000 orders (the primary key from its end: at once
-- for a range that ends at the last day), else as the range's own newest order (through an index on created_at when
-- the shop has one). A join made PostgreSQL read the range's orders a second time: at 10M orders the daily figures'
-- full backfill took 23.4-24.5 s without it against 25.6-28.8 s with it (three alternating pairs).
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY POSITION, in this order:
--   1 order_id   2 id   3 menu_item_id   4 quantity   5 subtotal
-- :from and :to are replaced with timestamptz literals (the UTC bounds of the shop days), [from, to); :first_order_id
-- with an integer. Whether the menu has the line's item the job looks up in the menu of sql/source/menu_items.sql,
-- read in the same snapshot: a subquery here cost PostgreSQL a fifth of this query's time (0.2 s per 1.8M lines).
-- Another shop adapts this file, not the Swift code: keep the columns, their order and their meaning.
SELECT i.order_id,
       i.id,
       i.menu_item_id,
       i.quantity,
       i.subtotal
FROM public.orders_orderitem i
WHERE i.order_id >= :first_order_id
  AND i.order_id <= COALESCE(
        (SELECT n.id
         FROM (SELECT o.id, o.created_at FROM public.orders_order o ORDER BY o.id DESC LIMIT 100000) n
         WHERE n.created_at < :to
         ORDER BY n.id DESC
         LIMIT 1),
        (SELECT max(o.id + 0) FROM public.orders_order o WHERE o.created_at >= :from AND o.created_at < :to))
ORDER BY i.order_id
