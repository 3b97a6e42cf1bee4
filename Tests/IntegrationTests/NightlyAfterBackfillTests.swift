import Analytics
import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

/// A nightly run after a backfill re-reads only the customers whose orders it recomputes, and leaves every analytics
/// table as a full backfill of the same range would.
final class NightlyAfterBackfillTests: XCTestCase {
    let first = ShopDay(iso: "2026-11-01")!
    let day = ShopDay(iso: "2026-11-23")!

    func everyStage(_ o: inout JobOptions) { o.stages = [CustomerStage(), CampaignStage(), FunnelStage()] }

    /// Every analytics table the job writes, without run ids and identities, each table's rows sorted.
    func tables(_ shop: TestShop) throws -> [String] {
        let names = try shop.admin.execute("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics'
              AND table_name NOT IN ('runs', 'schema_migrations', 'delivery_log', 'churn_model_fit') ORDER BY 1
            """).rows.compactMap { $0[0] }
        var out: [String] = []
        for t in names {
            let r = try shop.admin.execute("SELECT (to_jsonb(t) - 'run_id' - 'id')::text AS row FROM analytics.\(t) t ORDER BY 1")
            out += r.rows.map { "\(t): \($0[0] ?? "")" }
        }
        return out
    }

    func testNightlyRunAfterABackfillMatchesAFullBackfillAndRereadsOnlyTouchedCustomers() throws {
        let shop = try TestShop()
        try shop.user(1, first: "Aline", last: "Uwase")
        try shop.user(2, first: "Eric", last: "Mugisha")
        try shop.user(3, first: "Grace", last: "Ineza")
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        try shop.order(2, user: 1, kigali: "2026-11-05 12:00", subtotal: 5000)
        try shop.order(3, user: 1, kigali: "2026-11-20 23:30", subtotal: 15000)
        try shop.order(4, user: 2, kigali: "2026-11-10 12:00", subtotal: 600000)
        try shop.order(5, user: 3, kigali: "2026-11-03 12:00", subtotal: 8000)
        let backfill = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        XCTAssertEqual(try shop.customer(1, "total_orders"), "3")

        // The next day: user 2 buys again, and user 1's sale of 11-20 is cancelled late.
        try shop.order(7, user: 2, kigali: "2026-11-23 09:00", subtotal: 20000)
        try shop.admin.execute("UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now() WHERE id = 3")
        let nightly = try shop.job(configure: everyStage).nightly(date: day)
        XCTAssertEqual(nightly.days.map(\.description), ["2026-11-20", "2026-11-23"])

        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "2/15000.00")
        XCTAssertEqual(try shop.customer(2, "total_orders || '/' || total_spent"), "2/620000.00")
        XCTAssertEqual(try shop.customer(3, "total_orders || '/' || days_since_last_order"), "1/20")
        // Users 1 and 2 were re-read by the nightly run; user 3's sales were kept from the backfill.
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT string_agg(user_id || ':' || CASE run_id WHEN $1::bigint THEN 'backfill' WHEN $2::bigint THEN 'nightly' END, ',' ORDER BY user_id)
            FROM analytics.customer_sales_state
            """, [String(backfill.runId), String(nightly.runId)]), "1:nightly,2:nightly,3:backfill")
        XCTAssertEqual(try shop.admin.scalar("SELECT as_of || '/' || (run_id = $1::bigint) FROM analytics.customer_sales_state_run", [String(nightly.runId)]),
                       "2026-11-23/true")
        let afterNightly = try tables(shop)

        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        XCTAssertEqual(try shop.admin.scalar("SELECT count(DISTINCT run_id) FROM analytics.customer_sales_state"), "1", "the backfill rewrote the state")
        let afterBackfill = try tables(shop)
        XCTAssertGreaterThan(afterBackfill.count, 100)
        XCTAssertEqual(afterNightly, afterBackfill)
    }

    func testStateIsNotUsedWhenTheRunDoesNotRecomputeEveryDaySinceIt() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, ShopDay(iso: "2026-11-10")!))
        // A sale on 11-15 the run of 11-23 does not recompute (it was there before the backfill's watermark).
        try shop.order(2, user: 1, kigali: "2026-11-15 10:00", subtotal: 5000, updatedKigali: "2026-11-15 10:00")
        let nightly = try shop.job(configure: everyStage).nightly(date: day)
        XCTAssertEqual(nightly.days.map(\.description), ["2026-11-23"])
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "2/15000.00")
    }
}
