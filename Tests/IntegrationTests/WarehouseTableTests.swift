import Analytics
import Postgres
import Shop
import Warehouse
import XCTest

/// The table descriptions: one list of columns drives the COPY in and the reads by name.
final class WarehouseTableTests: XCTestCase {
    private func run(_ db: Connection) throws -> Int64 {
        Int64(try db.scalar("INSERT INTO analytics.runs (command, status, time_zone, version) VALUES ('test', 'running', 'UTC', 't') RETURNING id")!)!
    }

    func testDailySnapshotIsWrittenAndReadBackByColumnName() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        let runId = try run(db)
        var s = DailySnapshot(day: ShopDay(iso: "2026-11-30")!)
        s.totalOrders = 3; s.uniqueCustomers = 2; s.totalRevenue = Money(hundredths: 1_234_550); s.averageOrderValue = Money(hundredths: -5)
        s.itemsSold = 7_000_000_000; s.lateDeliveries = 1; s.refundAmount = Money(hundredths: 99)
        let write = try AnalyticsStore.dailySnapshot.write([s], stamps: [runId])
        XCTAssertEqual(write.columns.first, "day")
        XCTAssertEqual(write.columns.last, "run_id")
        XCTAssertEqual(write.columns.count, 29)
        try db.transaction { _ = try write.write(on: db) }

        // What the table holds, in SQL's own words.
        XCTAssertEqual(try db.execute("""
            SELECT total_orders, total_revenue::text, average_order_value::text, items_sold, refund_amount::text, run_id = $1::bigint
            FROM analytics.daily_snapshot WHERE day = '2026-11-30'
            """, [String(runId)]).rows, [["3", "12345.50", "-0.05", "7000000000", "0.99", "t"]])

        let back = try AnalyticsStore.dailySnapshot.read(on: db, "WHERE day = $1::date", ["2026-11-30"])
        XCTAssertEqual(back.count, 1)
        XCTAssertEqual(back.first?.day.iso, "2026-11-30")
        XCTAssertEqual(back.first?.totalOrders, 3)
        XCTAssertEqual(back.first?.totalRevenue.hundredths, 1_234_550)
        XCTAssertEqual(back.first?.averageOrderValue.hundredths, -5)
        XCTAssertEqual(back.first?.itemsSold, 7_000_000_000)
        XCTAssertEqual(back.first?.refundAmount.hundredths, 99)
        XCTAssertEqual(back.first?.lateDeliveries, 1)
    }

    func testAnUnreadableValueNamesTheTableAndTheColumn() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        let runId = try run(db)
        // A column whose type a later migration widened to text, holding what no reader can take for a number.
        try db.execute("ALTER TABLE analytics.hourly_sales DROP CONSTRAINT hourly_sales_hour_check, ALTER COLUMN hour TYPE text")
        try db.execute("INSERT INTO analytics.hourly_sales (day, hour, orders, revenue, run_id) VALUES ('2026-11-30', 'noon', 4, 10.00, $1::bigint)",
                       [String(runId)])
        XCTAssertThrowsError(try AnalyticsStore.hourlySales.read(on: db, "WHERE day = '2026-11-30'")) { error in
            XCTAssertEqual(String(describing: error),
                           "The warehouse table analytics.hourly_sales holds 'noon' in column hour, where a whole number was expected; recompute the days concerned with `dusangire-analytics backfill`.")
        }
    }

    func testAHandWrittenQueryIsReadByNameAndAMissingColumnIsNamed() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        let table = AnalyticsStore.revenueByChannel
        let rows = table.stored(try db.execute("SELECT 12.50::numeric(14,2) AS amount, 'direct_order' AS channel, NULL::integer AS transactions"))
        XCTAssertEqual(try rows[0]("amount", as: Money.self).hundredths, 1250)
        XCTAssertEqual(try rows[0]("channel", as: RevenueChannel.self), .directOrder)
        XCTAssertNil(try rows[0]("transactions", as: Int?.self))
        XCTAssertThrowsError(try rows[0]("transactions", as: Int.self)) { error in
            XCTAssertEqual(String(describing: error),
                           "The warehouse table analytics.revenue_by_channel holds no value (NULL) in column transactions, where a whole number was expected; recompute the days concerned with `dusangire-analytics backfill`.")
        }
        XCTAssertThrowsError(try rows[0]("day", as: ShopDay.self)) { error in
            XCTAssertEqual(String(describing: error),
                           "The warehouse table analytics.revenue_by_channel has no column named day; run `dusangire-analytics migrate` to bring the warehouse up to date.")
        }
    }
}
