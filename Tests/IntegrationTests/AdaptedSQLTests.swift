import Foundation
import Pipeline
import Postgres
import Shop
import XCTest

/// Another shop adapts `sql/source`, not the Swift code: the order extracts are read by column name, and the SQL they
/// share is written once in `sql/source/shared`.
final class AdaptedSQLTests: XCTestCase {
    let mon = ShopDay(iso: "2026-11-23")!

    func testTheSharedOrderColumnsArePutInWhereAFileNamesThem() throws {
        let sql = try TestShop.sql.query("source/customer_sales.sql", ["as_of_end": "'2026-11-24'::timestamptz", "shop_end": "'2100-01-01'::timestamptz"])
        XCTAssertTrue(sql.hasPrefix("SELECT o.id,\no.user_id,\no.status,\n"), sql)
        XCTAssertTrue(sql.contains("o.total,\no.created_at\nFROM public.orders_order o"), sql)
        XCTAssertTrue(sql.contains("WHERE (o.status = 'delivered' AND o.payment_status <> 'refunded')\n  AND (o.created_at < '2026-11-24'::timestamptz OR o.created_at >= '2100-01-01'::timestamptz)"), sql)
        XCTAssertFalse(sql.contains("--"), "comments of the file and of the shared files are dropped")
        XCTAssertFalse(sql.replacingOccurrences(of: "::", with: "").contains(":"), "every placeholder is replaced")
    }

    func testAnAdaptedOrdersFileMayPutItsColumnsInAnotherOrder() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", method: "card", subtotal: 4000, delivery: 500, coupon: 300)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", status: "cancelled", payment: "failed", subtotal: 2000)
        let sql = try adaptedSQL { text in
            // Its own columns first, the shared ones last, and the shared ones spelled out in another order.
            let shared = "o.total, o.created_at, o.status, o.payment_method, o.payment_status, o.subtotal, o.delivery_charge, "
                + "o.discount_amount, o.loyalty_discount_amount, o.vip_discount_amount, o.corporate_discount_amount, "
                + "o.referral_discount_amount, o.user_id, o.id"
            return text.replacingOccurrences(of: "SELECT :order_columns,\n       o.updated_at,\n       o.delivered_at,\n       o.coupon_code\n",
                                             with: "SELECT o.coupon_code, o.delivered_at, o.updated_at, \(shared)\n")
        }
        XCTAssertTrue(try sql.query("source/orders.sql", ["from": "'2026-11-23'::timestamptz", "to": "'2026-11-24'::timestamptz"])
            .hasPrefix("SELECT o.coupon_code, o.delivered_at, o.updated_at, o.total,"), "the adapted file is the one read")
        _ = try shop.job { $0.sql = sql }.backfill(ShopDayRange(mon, mon))
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "orders_placed"), "2")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "cancelled_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "4200.00")   // 4000 + 500 - 300
        XCTAssertEqual(try shop.snapshot("2026-11-23", "coupon_discounts_given"), "300.00")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "card_orders"), "1")
    }

    func testAnAdaptedOrdersFileWithoutAColumnIsNamedInTheError() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 4000)
        let sql = try adaptedSQL { $0.replacingOccurrences(of: ",\n       o.delivered_at,\n", with: ",\n") }
        XCTAssertThrowsError(try shop.job { $0.sql = sql }.backfill(ShopDayRange(mon, mon))) { error in
            XCTAssertEqual(String(describing: error),
                           "The query in sql/source/orders.sql returns no column named delivered_at; an adapted file must keep every column the file's header lists, with the same names.")
        }
        XCTAssertNil(try shop.snapshot("2026-11-23", "total_orders"), "nothing is loaded")
    }
}
