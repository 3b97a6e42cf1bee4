import Foundation
import Pipeline
import Postgres
import Seed
import Shop
import Warehouse
import XCTest

/// `analytics.item_sales` and `analytics.hourly_sales` (README, "Dishes" and "Hours") against a real server: a
/// hand-made shop whose answers are worked out on paper, and the demo shop against plain SQL.
final class DishesHoursTests: XCTestCase {
    let mon = ShopDay(iso: "2026-11-23")!
    var days: ShopDayRange { ShopDayRange(mon, mon.advanced(by: 2)) }

    private func rows(_ shop: TestShop, _ sql: String) throws -> [String] {
        try shop.admin.execute(sql).rows.map { $0.map { $0 ?? "NULL" }.joined(separator: "|") }
    }

    func testDishesCountSalesOnlyAtTheirSubtotalBeforeDiscounts() throws {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.menuItem(2, "Isombe", category: "Local dishes")
        try shop.menuItem(3, "Passion juice", category: "Drinks")
        try shop.user(1); try shop.user(2)
        // A sale with a 500 coupon: the items keep their subtotals (4,000 and 1,500).
        try shop.order(1, user: 1, kigali: "2026-11-23 12:10", subtotal: 5500, coupon: 500)
        try shop.orderItem(1, order: 1, menuItem: 1, quantity: 2, price: 2000)
        try shop.orderItem(2, order: 1, menuItem: 3, quantity: 1, price: 1500)
        // 23:30 in Kigali: that day, hour 23.
        try shop.order(2, user: 2, kigali: "2026-11-23 23:30", subtotal: 2500)
        try shop.orderItem(3, order: 2, menuItem: 2, quantity: 1, price: 2500)
        // Not sales: cancelled, refunded; and a rejected order (total does not add up). None of their items count.
        try shop.order(3, user: 1, kigali: "2026-11-23 12:40", status: "cancelled", payment: "failed", subtotal: 10000)
        try shop.orderItem(4, order: 3, menuItem: 1, quantity: 5, price: 2000)
        try shop.order(4, user: 2, kigali: "2026-11-23 13:00", payment: "refunded", subtotal: 2000, updatedKigali: "2026-11-24 08:00")
        try shop.orderItem(5, order: 4, menuItem: 1, quantity: 1, price: 2000)
        try shop.order(5, user: 2, kigali: "2026-11-23 14:00", subtotal: 6000, total: 5999)
        try shop.orderItem(6, order: 5, menuItem: 1, quantity: 3, price: 2000)
        // 00:30 on the 24th in Kigali is 22:30 UTC on the 23rd: the 24th, hour 0.
        try shop.order(6, user: 1, kigali: "2026-11-24 00:30", subtotal: 5000)
        try shop.orderItem(7, order: 6, menuItem: 2, quantity: 2, price: 2500)
        // A sale with one unreadable line (negative subtotal): that line is a rejected row, the other counts.
        try shop.order(7, user: 1, kigali: "2026-11-24 09:05", subtotal: 1400)
        try shop.orderItem(8, order: 7, menuItem: 3, quantity: 1, price: 1500)
        try shop.orderItem(9, order: 7, menuItem: 1, quantity: 1, price: 2000, subtotal: "-100")

        _ = try shop.job().backfill(days)
        _ = try shop.job().backfill(days)  // replaced with its days, never doubled

        XCTAssertEqual(try rows(shop, "SELECT day, menu_item_id, item_name, category, quantity, revenue FROM analytics.item_sales ORDER BY day, menu_item_id"), [
            "2026-11-23|1|Brochettes|Grills|2|4000.00",
            "2026-11-23|2|Isombe|Local dishes|1|2500.00",
            "2026-11-23|3|Passion juice|Drinks|1|1500.00",
            "2026-11-24|2|Isombe|Local dishes|2|5000.00",
            "2026-11-24|3|Passion juice|Drinks|1|1500.00",
        ])
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.hourly_sales"), "72")  // 24 hours x 3 days
        XCTAssertEqual(try rows(shop, "SELECT day, hour, orders, revenue FROM analytics.hourly_sales WHERE orders > 0 ORDER BY day, hour"), [
            "2026-11-23|12|1|5000.00",
            "2026-11-23|23|1|2500.00",
            "2026-11-24|0|1|5000.00",
            "2026-11-24|9|1|1400.00",
        ])
        XCTAssertEqual(try rows(shop, "SELECT source, source_id, day, reason FROM analytics.rejected_rows ORDER BY source"), [
            "orders_order|5|2026-11-23|total_mismatch",
            "orders_orderitem|9|2026-11-24|negative_amount",
        ])
    }

    /// The orders and their lines are two streams in order id, merged as they arrive (README, "Dishes"): ids that do
    /// not follow the clock, an order without lines, lines inserted out of order, and a rejected line keep their
    /// figures and their raw text.
    func testLinesMergeWithTheirOrdersWhateverTheOrderOfIdsAndTimes() throws {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.menuItem(2, "Isombe", category: "Local dishes")
        try shop.user(1); try shop.user(2)
        // Order 30 is the earliest, order 10 the latest; order 20 has no lines.
        try shop.order(30, user: 1, kigali: "2026-11-23 08:00", subtotal: 4500)
        try shop.order(20, user: 2, kigali: "2026-11-23 09:00", subtotal: 1000)
        try shop.order(10, user: 2, kigali: "2026-11-24 10:00", subtotal: 6500)
        try shop.orderItem(7, order: 10, menuItem: 2, quantity: 1, price: 2500)
        try shop.orderItem(3, order: 30, menuItem: 1, quantity: 1, price: 2000)
        try shop.orderItem(5, order: 10, menuItem: 1, quantity: 2, price: 2000)
        try shop.orderItem(4, order: 30, menuItem: 2, quantity: 1, price: 2500)
        try shop.orderItem(6, order: 10, menuItem: 2, quantity: 3, price: 100, subtotal: "-300")
        _ = try shop.job().backfill(days)
        XCTAssertEqual(try rows(shop, "SELECT day, menu_item_id, quantity, revenue FROM analytics.item_sales ORDER BY day, menu_item_id"), [
            "2026-11-23|1|1|2000.00",
            "2026-11-23|2|1|2500.00",
            "2026-11-24|1|2|4000.00",
            "2026-11-24|2|1|2500.00",
        ])
        // items_sold is every line's quantity, the rejected line's too.
        XCTAssertEqual(try rows(shop, "SELECT day, total_orders, items_sold FROM analytics.daily_snapshot WHERE total_orders > 0 ORDER BY day"), [
            "2026-11-23|2|2",
            "2026-11-24|1|6",
        ])
        XCTAssertEqual(try rows(shop, "SELECT source, source_id, day, reason, raw FROM analytics.rejected_rows"), [
            "orders_orderitem|6|2026-11-24|negative_amount|order 10: 6:2:3:-300.00:t",
        ])
    }

    /// A shop whose lines may name a dish the menu does not have (the shop's foreign key dropped), with one dish (1) and
    /// one order (1, user 1, Monday 12:10).
    private func shopWithOneOrderAndAnOpenMenu() throws -> TestShop {
        let shop = try TestShop()
        try shop.admin.execute("ALTER TABLE public.orders_orderitem DROP CONSTRAINT orders_orderitem_menu_item_id_72e84539_fk_menu_menuitem_id")
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:10", subtotal: 3000)
        return shop
    }

    /// `order_items.sql` orders the lines by order only; the extract puts each order's lines in id order, so the rows it
    /// sets aside come in the same order whatever order the shop stored them in.
    func testAnOrdersLinesAreTakenInIdOrderWhateverOrderTheShopStoredThemIn() throws {
        let shop = try shopWithOneOrderAndAnOpenMenu()
        // Stored newest first: the index on order_id returns them in that order.
        for id in [9, 8, 7, 6] {
            try shop.orderItem(id, order: 1, menuItem: id == 6 ? 1 : 90 + id, quantity: 1, price: 1000 + id)
        }
        _ = try shop.job().backfill(days)
        XCTAssertEqual(try rows(shop, "SELECT source_id, reason FROM analytics.rejected_rows ORDER BY id"), [
            "7|unknown_menu_item", "8|unknown_menu_item", "9|unknown_menu_item",
        ])
        XCTAssertEqual(try rows(shop, "SELECT menu_item_id, quantity, revenue FROM analytics.item_sales"), ["1|1|1006.00"])
    }

    func testAnItemOfAMenuItemThatDoesNotExistIsRejected() throws {
        let shop = try shopWithOneOrderAndAnOpenMenu()
        try shop.orderItem(1, order: 1, menuItem: 1, quantity: 1, price: 2000)
        try shop.orderItem(2, order: 1, menuItem: 99, quantity: 1, price: 1000)
        _ = try shop.job().backfill(days)
        XCTAssertEqual(try rows(shop, "SELECT day, menu_item_id, quantity, revenue FROM analytics.item_sales"), ["2026-11-23|1|1|2000.00"])
        XCTAssertEqual(try rows(shop, "SELECT source, source_id, reason FROM analytics.rejected_rows"), ["orders_orderitem|2|unknown_menu_item"])
    }

    /// The demo shop, computed by the job and by plain SQL that applies the README's rules on its own.
    func testDemoShopDishesAndHoursAgreeWithPlainSQLToTheFranc() throws {
        let shop = try TestShop()
        let last = ShopDay(iso: "2026-11-29")!
        _ = try ShopSeeder(connection: shop.admin).seed(SeedPlan(lastDay: last, days: 35, customers: 250, calendar: TestShop.kigali))
        let range = ShopDayRange(last.advanced(by: -34), last)
        _ = try shop.job().backfill(range)

        // Sales that pass every check of "Rejected rows", by hand.
        let sales = """
            SELECT o.id, o.total, (o.created_at AT TIME ZONE 'Africa/Kigali') AS local
            FROM public.orders_order o JOIN public.auth_user u ON u.id = o.user_id
            WHERE o.status = 'delivered' AND o.payment_status IN ('pending', 'processing', 'completed', 'failed')
              AND o.payment_method IN ('cash_on_delivery', 'mtn_mobile_money', 'airtel_money', 'bank_transfer', 'card')
              AND least(o.subtotal, o.delivery_charge, o.discount_amount, o.loyalty_discount_amount, o.vip_discount_amount,
                        o.corporate_discount_amount, o.referral_discount_amount, o.total) >= 0
              AND o.total = o.subtotal + o.delivery_charge - o.discount_amount - o.loyalty_discount_amount
                  - o.vip_discount_amount - o.corporate_discount_amount - o.referral_discount_amount
              AND o.created_at <= now()
              AND (o.created_at AT TIME ZONE 'Africa/Kigali')::date BETWEEN '\(range.first.iso)' AND '\(range.last.iso)'
            """
        let expectedItems = try rows(shop, """
            SELECT s.local::date, i.menu_item_id, m.name, c.name, sum(i.quantity), sum(i.subtotal)
            FROM (\(sales)) s JOIN public.orders_orderitem i ON i.order_id = s.id
            JOIN public.menu_menuitem m ON m.id = i.menu_item_id JOIN public.menu_category c ON c.id = m.category_id
            WHERE i.subtotal >= 0 AND i.quantity >= 0
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2
            """)
        let items = try rows(shop, "SELECT day, menu_item_id, item_name, category, quantity, revenue FROM analytics.item_sales ORDER BY day, menu_item_id")
        XCTAssertGreaterThan(expectedItems.count, 300)
        XCTAssertEqual(items, expectedItems)

        let expectedHours = try rows(shop, """
            SELECT s.local::date, extract(hour FROM s.local)::int, count(*), sum(s.total) FROM (\(sales)) s GROUP BY 1, 2 ORDER BY 1, 2
            """)
        let hours = try rows(shop, "SELECT day, hour, orders, revenue FROM analytics.hourly_sales WHERE orders > 0 ORDER BY day, hour")
        XCTAssertGreaterThan(expectedHours.count, 200)
        XCTAssertEqual(hours, expectedHours)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.hourly_sales"), String(35 * 24))
        // Hours add up to the day: the same revenue as the daily snapshot.
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT count(*) FROM analytics.daily_snapshot d
            WHERE d.total_revenue <> (SELECT sum(revenue) FROM analytics.hourly_sales h WHERE h.day = d.day)
               OR d.total_orders <> (SELECT sum(orders) FROM analytics.hourly_sales h WHERE h.day = d.day)
            """), "0")
    }
}
