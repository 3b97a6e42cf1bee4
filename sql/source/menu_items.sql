-- The shop's menu: every menu item with its category's name (for the names in analytics.item_sales).
-- Columns, read BY POSITION: 1 id, 2 name, 3 category (empty when the item has no category row).
SELECT m.id, m.name, COALESCE(c.name, '') AS category
FROM public.menu_menuitem m
LEFT JOIN public.menu_category c ON c.id = m.category_id
