-- What makes an order of public.orders_order o a sale (README, "Sale"), defined once: customer_sales.sql and
-- campaign_customers.sql write :is_sale. (Whether the row is readable is checked as well: in Swift for
-- customer_sales.sql, Shop/OrderCandidate.swift; in SQL in campaign_customers.sql.)
(o.status = 'delivered' AND o.payment_status <> 'refunded')
