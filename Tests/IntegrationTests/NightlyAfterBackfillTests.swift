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

    /// Progress lines a job printed.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        /// The BG/NBD line, and forget every line so far.
        func fitLine() -> String { lock.lock(); defer { lines = []; lock.unlock() }; return lines.first { $0.contains("BG/NBD") } ?? "none" }
    }

    /// 60 customers over Sept-Nov 2026: customer u first buys on Sept 1 + (u mod 17), then every 2 + (u mod 9) days; one in
    /// three stops after 1 + (u mod 6) purchases, the others buy to Nov 22. Enough, and varied enough, for both models to
    /// find an optimum inside their range (dropout found).
    func seedSixtyCustomers(_ shop: TestShop) throws {
        var id = 100
        for u in 1...60 {
            try shop.user(u)
            let start = ShopDay(iso: "2026-09-01")!.advanced(by: u % 17)
            let gap = 2 + u % 9
            let stopsAfter = u % 3 == 0 ? 1 + u % 6 : Int.max
            var d = start, n = 0
            while d <= ShopDay(iso: "2026-11-22")!, n < stopsAfter {
                id += 1
                try shop.order(id, user: u, kigali: "\(d.iso) 12:00", subtotal: 1000 * (1 + u * 7 % 19) + (u * 37 + n * n * 53) % 1500)
                n += 1
                d = d.advanced(by: gap)
            }
        }
    }

    func testSettledFitsStartFromTheLastFitAndGiveTheTablesOfAColdFit() throws {
        let shop = try TestShop()
        try seedSixtyCustomers(shop)
        let lines = Lines()
        func settled(_ o: inout JobOptions) {
            o.stages = [CustomerStage(settledFits: true)]
            o.progress = { lines.append($0) }
        }
        let fitted = "SELECT model || ' ' || fitted || ' ' || converged || ' ' || coalesce(dropout_found::text, '-') FROM analytics.churn_model_fit WHERE run_id = $1::bigint ORDER BY model"
        let firstDay = ShopDay(iso: "2026-09-01")!
        let backfill = try shop.job(configure: settled).backfill(ShopDayRange(firstDay, day.advanced(by: -1)))
        XCTAssertTrue(lines.fitLine().contains("from scratch, "))
        XCTAssertEqual(try shop.admin.execute(fitted, [String(backfill.runId)]).rows.map { $0[0] ?? "" },
                       ["bg_nbd true true true", "bg_nbd_check true true true", "gamma_gamma true true -"])

        try shop.order(9001, user: 1, kigali: "2026-11-23 09:00", subtotal: 4000)
        let nightly = try shop.job(configure: settled).nightly(date: day)
        let warmLine = lines.fitLine()
        XCTAssertTrue(warmLine.contains("from the last fit, 2 evaluations and "), warmLine)
        XCTAssertTrue(warmLine.contains("; Gamma-Gamma from the last fit, 2 evaluations and "), warmLine)
        let parameters = "SELECT model || ' ' || parameters::text || ' ' || log_likelihood FROM analytics.churn_model_fit WHERE run_id = $1::bigint AND model <> 'bg_nbd_check' ORDER BY model"
        let warmParameters = try shop.admin.execute(parameters, [String(nightly.runId)]).rows.map { $0[0] ?? "" }
        let afterNightly = try tables(shop)

        // A full backfill with no last fit to start from: a cold fit, the same tables to the last bit.
        try shop.admin.execute("UPDATE analytics.churn_model_fit SET converged = false")
        let full = try shop.job(configure: settled).backfill(ShopDayRange(firstDay, day))
        XCTAssertTrue(lines.fitLine().contains("BG/NBD r="))
        XCTAssertEqual(try shop.admin.execute(parameters, [String(full.runId)]).rows.map { $0[0] ?? "" }, warmParameters)
        XCTAssertEqual(try tables(shop).filter { !$0.hasPrefix("model_check") }, afterNightly.filter { !$0.hasPrefix("model_check") })

        // Absurd last parameters: the start fails, the run says why and fits from scratch, to the same bits.
        try shop.admin.execute("""
            UPDATE analytics.churn_model_fit SET converged = true, parameters = '{"r": 1e300, "alpha": 1, "a": 1, "b": 1}'
            WHERE model = 'bg_nbd' AND run_id = $1::bigint
            """, [String(full.runId)])
        let rerun = try shop.job(configure: settled).nightly(date: day)
        XCTAssertTrue(lines.fitLine().contains("from scratch because the start from the last fit failed (the last fit's parameters are outside the range a fit can start from)"))
        XCTAssertEqual(try shop.admin.execute(parameters, [String(rerun.runId)]).rows.map { $0[0] ?? "" }, warmParameters)
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
