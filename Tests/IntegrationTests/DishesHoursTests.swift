import Extract
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

    /// `order_items.sql` reads the lines without a join, from the range's first order to the newest order created
    /// before its end: lines of orders outside the range fall in between (ids out of clock order here) and are skipped,
    /// and not counted as read. The newest order is found among the newest orders, or, when the range ends before all
    /// of them, as the range's own newest order: both give the same stream.
    func testLinesOfOrdersOutsideTheRangeAreSkippedAndNotCounted() throws {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.menuItem(2, "Isombe", category: "Local dishes")
        try shop.user(1); try shop.user(2)
        // The range is Tuesday 2026-11-24: orders 9, 11 (no lines), 13 and 15. Orders 10 and 14 (Monday) and 12
        // (Wednesday) lie between its first order and the newest order created before its end (15); 16 (Wednesday) after.
        for (id, day) in [(9, "24"), (10, "23"), (11, "24"), (12, "25"), (13, "24"), (14, "23"), (15, "24"), (16, "25")] {
            try shop.order(id, user: id % 2 + 1, kigali: "2026-11-\(day) 12:00", subtotal: 4000)
        }
        for order in [9, 10, 12, 13, 14, 15, 16] {
            try shop.orderItem(order * 10, order: order, menuItem: 1, quantity: 1, price: 2000)
            try shop.orderItem(order * 10 + 1, order: order, menuItem: 2, quantity: 2, price: 1000)
        }
        try shop.orderItem(132, order: 13, menuItem: 2, quantity: 1, price: 100, subtotal: "-100")
        func stream(newestAmong: Int?) throws -> (rows: [String], read: Int) {
            var sql = TestShop.sql
            if let newestAmong {  // a copy of sql/ that looks among fewer of the newest orders
                sql = try adaptedSQL("source/order_items.sql") { text in
                    XCTAssertTrue(text.contains("LIMIT 100000"))
                    return text.replacingOccurrences(of: "LIMIT 100000", with: "LIMIT \(newestAmong)")
                }
            }
            let src = ShopSource(connection: try shop.reader(), sql: sql, calendar: TestShop.kigali)
            try src.begin()
            defer { src.finish() }
            let (start, end) = TestShop.kigali.bounds(of: ShopDayRange(mon.advanced(by: 1), mon.advanced(by: 1)))
            var rows: [String] = []
            let read = try src.orders(from: start, to: end, menu: try src.menu().items) { result in
                switch result {
                case .success(let o): rows.append("order \(o.id): " + o.lines.map { "\($0.menuItemId)x\($0.quantity)" }.joined(separator: " "))
                case .failure(let r): rows.append("\(r.source) \(r.sourceId ?? "-") \(r.rejection.reason.rawValue) \(r.raw)")
                }
            }
            return (rows, read)
        }
        let expected = [
            "order 9: 1x1 2x2", "order 11: ",
            "orders_orderitem 132 negative_amount order 13: 132:2:1:-100.00:t", "order 13: 1x1 2x2",
            "order 15: 1x1 2x2",
        ]
        // The lookups (two users), then the four orders and their seven lines; nor the lines of 10, 12 and 14.
        // 15 is among the newest 100,000 orders and the newest 2; the newest 1 (16) is after the end, so 15 is then found
        // as the range's own newest order.
        for newestAmong in [nil, 2, 1] {
            let s = try stream(newestAmong: newestAmong)
            XCTAssertEqual(s.rows, expected, "newest among \(newestAmong ?? 100_000)")
            XCTAssertEqual(s.read, 2 + 4 + 7, "newest among \(newestAmong ?? 100_000)")
        }
    }

    /// The lines are read on a thread of their own, batches ahead of the merge. When the orders end with many lines
    /// still to come (here 30,000 lines of an older order with a higher id, between the range's first order and the
    /// newest order created before its end), the rest is read and dropped, and the connection serves the next range.
    func testLinesLeftWhenTheOrdersEndAreDroppedAndTheConnectionServesTheNextRange() throws {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-24 12:00", subtotal: 2000)
        try shop.order(2, user: 1, kigali: "2026-11-23 12:00", subtotal: 30_000_000)
        try shop.orderItem(1, order: 1, menuItem: 1, quantity: 2, price: 1000)
        try shop.admin.execute("""
            INSERT INTO public.orders_orderitem (id, quantity, price, subtotal, menu_item_id, order_id)
            SELECT g, 1, 1000, 1000, 1, 2 FROM generate_series(100, 30099) g
            """)
        let src = ShopSource(connection: try shop.reader(), sql: TestShop.sql, calendar: TestShop.kigali)
        try src.begin()
        defer { src.finish() }
        func orders(on day: ShopDay) throws -> (lines: [Int64: Int64], read: Int) {
            let (start, end) = TestShop.kigali.bounds(of: ShopDayRange(day, day))
            var sold: [Int64: Int64] = [:]
            let read = try src.orders(from: start, to: end, menu: try src.menu().items) { result in
                if case .success(let o) = result { sold[o.id] = o.lines.reduce(0) { $0 + $1.quantity } }
            }
            return (sold, read)
        }
        let tuesday = try orders(on: mon.advanced(by: 1))
        XCTAssertEqual(tuesday.lines, [1: 2])
        XCTAssertEqual(tuesday.read, 1 + 1 + 1, "the user looked up, the order and its line; not the 30,000 dropped")
        let monday = try orders(on: mon)
        XCTAssertEqual(monday.lines, [2: 30_000])
        XCTAssertEqual(monday.read, 1 + 30_000)
    }

    /// The orders, too, are read on a thread of their own, batches ahead of the thread that takes them. When the taker
    /// stops (its handler throws at the tenth of 20,000 orders: batches of 1,024, at most 8 waiting, so the reading
    /// thread is blocked then), the error is the taker's, the rest of both streams is read and dropped, and the two
    /// connections serve the same range again, every order and line.
    func testAnOrderStreamItsTakerStopsLeavesBothConnectionsUsable() throws {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills")
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 1000)
        try shop.admin.execute("""
            INSERT INTO public.orders_order
            SELECT (jsonb_populate_record(o, jsonb_build_object('id', g, 'order_number', 'N-' || g))).*
            FROM public.orders_order o, generate_series(2, 20000) g WHERE o.id = 1
            """)
        try shop.admin.execute("""
            INSERT INTO public.orders_orderitem (id, quantity, price, subtotal, menu_item_id, order_id)
            SELECT g, 1, 1000, 1000, 1, g FROM generate_series(1, 20000) g
            """)
        let src = ShopSource(connection: try shop.reader(), sql: TestShop.sql, calendar: TestShop.kigali)
        try src.begin()
        defer { src.finish() }
        let (start, end) = TestShop.kigali.bounds(of: ShopDayRange(mon, mon))
        struct Enough: Error {}
        var taken = 0
        XCTAssertThrowsError(try src.orders(from: start, to: end, menu: try src.menu().items) { _ in
            taken += 1
            if taken == 10 { throw Enough() }
        }) { XCTAssertTrue($0 is Enough, "\($0)") }
        XCTAssertEqual(taken, 10, "no order handed to the taker after it stopped")
        var ids: [Int64] = [], lines = 0
        let read = try src.orders(from: start, to: end, menu: try src.menu().items) { result in
            if case .success(let o) = result { ids.append(o.id); lines += o.lines.count }
        }
        XCTAssertEqual(ids, Array(1...20000))
        XCTAssertEqual(lines, 20000)
        XCTAssertEqual(read, 20000 + 20000, "the orders and their lines (the user was looked up by the first read, once per source)")
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
