-- The lines (orders_orderitem) of the orders created in a range of instants, in ascending order id: the daily extract
-- merges them with `orders.sql` (same range, same snapshot, read on a second connection) and puts each order's lines
-- in id order itself (ordering them here made PostgreSQL sort every line again after the index on order_id).
-- The analytics job runs this as COPY (...) TO STDOUT and reads the columns BY POSITION, in this order:
--   1 order_id   2 id   3 menu_item_id   4 quantity   5 subtotal   6 menu_item_exists (the menu has the item)
-- :from and :to are replaced with timestamptz literals (the UTC bounds of the shop days); [from, to).
-- The menu check is a subquery, answered from one hash of the menu's ids, so the lines keep the index's order.
-- Another shop adapts this file, not the Swift code: keep the columns, their order and their meaning.
SELECT i.order_id,
       i.id,
       i.menu_item_id,
       i.quantity,
       i.subtotal,
       EXISTS (SELECT 1 FROM public.menu_menuitem m WHERE m.id = i.menu_item_id) AS menu_item_exists
FROM public.orders_orderitem i
JOIN public.orders_order o ON o.id = i.order_id
WHERE o.created_at >= :from AND o.created_at < :to
ORDER BY i.order_id
