@testable import Analytics
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

    /// Every kind of column of a customer row (stored fields, computed ones, optionals, NULLs, doubles, timestamps and
    /// the stamps), written by hand.
    func testACustomerRowIsEncodedFieldByField() throws {
        let sold = CustomerMetrics(
            userId: 42, totalOrders: 3, totalSpent: Money(hundredths: 1_234_550), averageOrderValue: Money(hundredths: -5),
            firstOrderAt: 1_795_469_400_000_120, lastOrderAt: -1, firstOrderDay: nil, lastOrderDay: nil, daysSinceLastOrder: 7,
            lifetimeValue: Money(hundredths: 1_234_550), churnRisk: true, vipTier: .gold, subscriptionActive: false,
            loyaltyPointsEarned: 1_500, loyaltyPointsRedeemed: -3, loyaltyValueRedeemed: .zero, referralCount: 2,
            referralEarnings: Money(hundredths: -100), totalDiscountsReceived: Money(hundredths: 99), vipDiscountsReceived: Money(hundredths: 5),
            segments: [.vip, .churnRisk, .new], rfm: RFMScore(r: 5, f: 4, m: 3), rfmGroup: .champions,
            history: PurchaseHistory(frequency: 2, recency: 10, age: 30),
            prediction: CustomerPrediction(probabilityAlive: 0.1, expectedSales30: 1e-05, expectedSales90: .nan,
                                           expectedValue: Money(hundredths: 12_345), clv12Months: nil))
        var none = sold
        none.userId = 7; none.totalOrders = 0; none.firstOrderAt = nil; none.lastOrderAt = nil; none.vipTier = nil; none.segments = []
        none.rfm = nil; none.rfmGroup = .prospects; none.history = nil; none.prediction = nil; none.churnRisk = false
        let write = try CustomerStore.metrics.write([sold, none], stamps: [ShopDay(iso: "2026-12-02")!, Int64(9)])
        XCTAssertEqual(write.columns.count, 37)
        XCTAssertEqual(try write.rows.lines(), [
            "42\t3\t12345.50\t-0.05\t2026-11-23 21:30:00.000120+00\t1969-12-31 23:59:59.999999+00\t7\t12345.50\tt\tGold\tf\t1500\t-3\t0.00\t2"
                + "\t-1.00\t0.99\t0.05\tt\tf\tf\tf\tt\t5\t4\t3\tchampions\t2\t10\t30\t0.1\t1e-05\t\\N\t123.45\t\\N\t2026-12-02\t9",
            "7\t0\t12345.50\t-0.05\t\\N\t\\N\t7\t12345.50\tf\t\\N\tf\t1500\t-3\t0.00\t2"
                + "\t-1.00\t0.99\t0.05\tf\tf\tf\tf\tf\t\\N\t\\N\t\\N\tprospects\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t2026-12-02\t9",
        ])
    }

    /// A table of tuples with computed columns: text needing escapes is escaped, a missing action is NULL.
    func testAListRowEscapesTheNameAndWritesNullForNoAction() throws {
        let entry = CustomerListEntry(rank: 1, userId: 5, lifetimeValue: Money(hundredths: -1), totalOrders: 2, daysSinceLastOrder: 40,
                                      rfmGroup: .atRisk, action: nil, probabilityAlive: 0.25)
        let write = try CustomerStore.lists.write([(list: "at_risk", entry: entry, name: "Uwase\tA\\B\nC")],
                                                  stamps: [ShopDay(iso: "2026-12-02")!, Int64(9)])
        XCTAssertEqual(try write.rows.lines(), ["at_risk\t1\t5\tUwase\\tA\\\\B\\nC\t-0.01\t2\t40\tat_risk\t0.25\t\\N\t\\N\t2026-12-02\t9"])
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

    /// A user's kept sales go in as COPY text and come back from the bytes the server writes: every value, the month and
    /// day arrays included, as PostgreSQL reads them (checked with its own functions) and as they were.
    func testCustomerSalesStateIsWrittenAndReadBackExactly() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        let runId = try run(db)
        // Day 20780 is 2026-11-23: the first sale at 2026-01-05 23:59:59.999999 UTC (day 20458), the last at 07:30 UTC on
        // 2026-11-23; user 7 bought a microsecond before 1970.
        var s = CustomerSales(userId: 42)
        s.sales = 5; s.spent = 123_456_789_012; s.discounts = 0; s.vipDiscounts = 1; s.loyaltyValue = 99_999
        s.firstAt = 1_767_657_599_999_999; s.lastAt = 1_795_419_000_000_000
        s.firstDay = 20_458; s.lastDay = 20_780; s.purchaseDays = 4; s.firstDaySpend = 5; s.salesWithPoints = 2
        s.months = [2026 * 12, 2026 * 12 + 2, 2026 * 12 + 10]
        s.recentDays = 1 << 1 | 1 << 29; s.earlierDay = 20_700
        var none = CustomerSales(userId: 7)
        none.sales = 1; none.firstAt = -1; none.lastAt = -1; none.firstDay = -1; none.lastDay = -1; none.months = [1969 * 12 + 11]
        let changes = try CustomerSalesStore.changes([s, none], replacing: nil, asOf: ShopDay(epochDay: 20_780), runId: runId)
        try db.transaction { for w in changes.writes { _ = try w.write(on: db) } }

        XCTAssertEqual(try db.execute("""
            SELECT user_id, spent::text, vip_discounts::text, loyalty_value::text, extract(epoch FROM first_sale_at)::numeric(20,6)::text,
                   last_sale_at AT TIME ZONE 'UTC', first_sale_day::text, sale_months::text, recent_purchase_days::text,
                   earlier_purchase_day::text
            FROM analytics.customer_sales_state ORDER BY user_id
            """).rows, [
                ["7", "0.00", "0.00", "0.00", "-0.000001", "1969-12-31 23:59:59.999999", "1969-12-31", "{1969-12-01}", "{}", nil],
                ["42", "1234567890.12", "0.01", "999.99", "1767657599.999999", "2026-11-23 07:30:00", "2026-01-05",
                 "{2026-01-01,2026-03-01,2026-11-01}", "{2026-10-25,2026-11-22}", "2026-09-04"],
            ])

        var back: [CustomerSales] = []
        try CustomerSalesStore(connection: db).states { back.append($0) }
        XCTAssertEqual(back.sorted { $0.userId < $1.userId }, [none, s])
    }

    /// A COPY row is split into its fields in place: more fields than the row first makes room for, empty text, NULL,
    /// escapes and non-ASCII text, as the server writes them.
    func testCopyRowsAreSplitIntoEveryField() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        let many = (1...40).map { "\($0)" }.joined(separator: ", ")
        var seen: [[String?]] = []
        let n = try db.copyOut("""
            COPY (SELECT \(many), '' AS empty, NULL::text AS missing, E'a\\\\b\\tc\\nd' AS escaped, 'Mukamana Éric' AS name
                  UNION ALL SELECT \(many), 'x', 'y', '', '') TO STDOUT
            """) { row in
            seen.append((0..<row.count).map { row.string($0) })
            XCTAssertEqual(row.int64(39), 40)
            XCTAssertNil(row.int64(44), "a field the row does not have is no number")
        }
        XCTAssertEqual(n, 2)
        XCTAssertEqual(seen.map(\.count), [44, 44])
        XCTAssertEqual(Array(seen[0][38...]), ["39", "40", "", nil, "a\\b\tc\nd", "Mukamana Éric"])
        XCTAssertEqual(Array(seen[1][40...]), ["x", "y", "", ""])
    }

    /// A table written on every core at once holds the same text as one written row by row: the parts join in order,
    /// each row whole, with its stamps.
    func testRowsEncodedInPartsJoinInOrder() throws {
        let template = CustomerMetrics(
            userId: 0, totalOrders: 0, totalSpent: .zero, averageOrderValue: .zero, firstOrderAt: nil, lastOrderAt: nil,
            firstOrderDay: nil, lastOrderDay: nil, daysSinceLastOrder: 0, lifetimeValue: .zero, churnRisk: false, vipTier: nil,
            subscriptionActive: false, loyaltyPointsEarned: 0, loyaltyPointsRedeemed: 0, loyaltyValueRedeemed: .zero, referralCount: 0,
            referralEarnings: .zero, totalDiscountsReceived: .zero, vipDiscountsReceived: .zero, segments: [], rfm: nil,
            rfmGroup: .prospects, history: nil, prediction: nil)
        let customers = (0..<150_000).map { k -> CustomerMetrics in
            var m = template
            m.userId = Int64(k) * 7 + 1; m.totalOrders = k % 5; m.totalSpent = Money(hundredths: Int64(k) * 1_001)
            m.averageOrderValue = Money(hundredths: Int64(k % 997)); m.daysSinceLastOrder = k % 400
            m.prediction = k % 3 == 0 ? nil : CustomerPrediction(probabilityAlive: 1 / Double(k + 1), expectedSales30: Double(k) / 7,
                                                                  expectedSales90: .nan, expectedValue: nil, clv12Months: Money(hundredths: Int64(k)))
            return m
        }
        let stamps: [any StoredValue] = [ShopDay(iso: "2026-12-02")!, Int64(9)]
        let one = try CustomerStore.metrics.write(customers, stamps: stamps)
        let parts = try CustomerStore.metrics.write(count: customers.count, stamps: stamps) { customers[$0] }
        XCTAssertEqual(parts.columns, one.columns)
        XCTAssertEqual(parts.rows.rows, 150_000)
        let lines = try parts.rows.lines()
        XCTAssertEqual(lines.count, 150_000)
        XCTAssertEqual(lines, try one.rows.lines())
        XCTAssertTrue(lines[74_999].hasPrefix("524994\t"), lines[74_999])
        XCTAssertTrue(lines[75_000].hasPrefix("525001\t"), lines[75_000])
        XCTAssertTrue(lines[149_999].hasSuffix("\t2026-12-02\t9"), lines[149_999])
    }
}
