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
        /// The first line containing `text`, trimmed.
        func first(containing text: String) -> String? {
            lock.lock(); defer { lock.unlock() }
            return lines.first { $0.contains(text) }?.trimmingCharacters(in: .whitespaces)
        }
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

    // MARK: campaigns and the funnel

    /// A shop with three campaigns and some sessions, backfilled 11-01..11-22 (Kigali):
    /// 1 "Lunch for all" (all, 11-10..11-30, code LUNCHFORALL), 2 "Karibu" (new_customers, 11-15..11-25, coupon code KARIBU),
    /// 3 "VIP week" (vip, 11-16..11-22). Users 1 (VIP since 11-01) and 2 bought in October and November; 3 is referred;
    /// 6 bought on 11-03 (1,000) and 11-08 (2,400), in Karibu's baseline (10-18..11-14).
    func campaignShop() throws -> TestShop {
        let shop = try TestShop()
        for u in 1...6 { try shop.user(u) }
        try shop.vipTier(user: 1, achieved: "2026-11-01")
        try shop.referral(1, referrer: 1, referee: 3, status: "COMPLETED", bonus: 500, createdKigali: "2026-11-12 09:00", completedKigali: nil)
        try shop.campaign(1, name: "Lunch for all", startKigali: "2026-11-10 00:00:00", endKigali: "2026-11-30 23:59:59", budget: "10000")
        try shop.campaign(2, name: "Karibu", description: "10% off a first order with coupon code KARIBU", audience: "new_customers",
                          startKigali: "2026-11-15 00:00:00", endKigali: "2026-11-25 23:59:59", budget: nil)
        try shop.campaign(3, name: "VIP week", status: "completed", audience: "vip", startKigali: "2026-11-16 00:00:00",
                          endKigali: "2026-11-22 23:59:59", budget: "3000")
        try shop.order(1, user: 1, kigali: "2026-10-14 12:00", subtotal: 4000)
        try shop.order(2, user: 2, kigali: "2026-10-20 12:00", subtotal: 3000)
        try shop.order(3, user: 1, kigali: "2026-11-02 12:00", subtotal: 5000)
        try shop.order(4, user: 1, kigali: "2026-11-12 12:00", subtotal: 6000, coupon: 600)
        try shop.couponCode(order: 4, "lunchforall")
        try shop.order(5, user: 2, kigali: "2026-11-17 13:00", subtotal: 2000)
        try shop.order(6, user: 3, kigali: "2026-11-18 11:00", subtotal: 7000, coupon: 700)
        try shop.couponCode(order: 6, "KARIBU")
        try shop.order(7, user: 1, kigali: "2026-11-20 12:30", subtotal: 9000, coupon: 900)
        try shop.couponCode(order: 7, "LUNCHFORALL")
        try shop.order(8, user: 5, kigali: "2026-11-19 10:00", subtotal: 2500)
        try shop.order(9, user: 5, kigali: "2026-11-21 10:00", status: "cancelled", payment: "failed", subtotal: 1500)
        try shop.order(10, user: 2, kigali: "2026-11-22 18:00", subtotal: 4500)
        try shop.order(12, user: 6, kigali: "2026-11-03 12:00", subtotal: 1000)
        try shop.order(13, user: 6, kigali: "2026-11-08 12:00", subtotal: 2400)
        try shop.event(1, "view_menu", session: "s1", user: 4, kigali: "2026-11-21 09:00")
        try shop.event(2, "add_to_cart", session: "s1", user: 4, kigali: "2026-11-21 09:05")
        try shop.event(3, "view_menu", session: "s2", user: 2, kigali: "2026-11-22 23:50")
        try shop.event(4, "view_menu", session: "s3", kigali: "2026-11-22 12:00")
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        return shop
    }

    /// VIP week's performance as of 11-23: a backfill through 11-23 computes the campaign, which ended on 11-22; a nightly
    /// run of 11-23 computes only campaigns whose window meets the days it recomputes (as before the kept state).
    func vipWeekAsOfTheNightlyDay(_ row: String) -> Bool {
        row.hasPrefix("campaign_performance:") && row.contains("\"campaign_id\": 3,") && row.contains("\"as_of\": \"2026-11-23\"")
    }

    /// The rows only one side has, so a failure names them.
    func assertSame(_ nightly: [String], _ backfill: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(backfill.count, 100, file: file, line: line)
        XCTAssertEqual(nightly.filter { !backfill.contains($0) }, [], "rows only after the nightly run", file: file, line: line)
        XCTAssertEqual(backfill.filter { !nightly.contains($0) }, [], "rows only after the full backfill", file: file, line: line)
    }

    func nightly(_ shop: TestShop) throws -> (JobSummary, Lines) {
        let lines = Lines()
        let summary = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.nightly(date: day)
        return (summary, lines)
    }

    func testNightlyCampaignsAndFunnelReadOnlyTheRecomputedDaysAndMatchAFullBackfill() throws {
        let shop = try campaignShop()
        // The next day: user 4 buys for the first time with KARIBU after a session; user 1's coupon sale of 11-20 is
        // refunded late (11-20 is recomputed; user 1's first sale stays in October).
        try shop.event(5, "view_menu", session: "s4", user: 4, kigali: "2026-11-23 08:00")
        try shop.event(6, "complete_order", session: "s4", user: 4, kigali: "2026-11-23 08:10")
        try shop.order(11, user: 4, kigali: "2026-11-23 08:10", subtotal: 8000, coupon: 800)
        try shop.couponCode(order: 11, "karibu")
        try shop.admin.execute("UPDATE public.orders_order SET payment_status = 'refunded', updated_at = now() WHERE id = 7")
        let (summary, lines) = try nightly(shop)
        XCTAssertEqual(summary.days.map(\.description), ["2026-11-20", "2026-11-23"])
        // Campaign 1 and 2 run on 11-23, campaign 3's window meets 11-20: all three from their kept figures.
        XCTAssertEqual(lines.first(containing: "campaigns:"),
                       "campaigns: 3 computed (3 from kept figures, 0 in whole), orders of 2026-11-20, 2026-11-23")
        XCTAssertNotNil(lines.first(containing: "customers' first sales kept from the run of 2026-11-22; 2 re-read"))
        // Lunch for all: sale 4 only (sale 7 refunded); reached 1, 2, 3, 5 (orders) and 4 (sessions, an order): 5; the
        // audience's revenue is every sale of 11-10..11-23: 5,400 + 2,000 + 6,300 + 2,500 + 4,500 + 7,200.
        // Karibu: sales 6 and 11 by coupon; reached 3 and 4 (first sales), 5 (first sale 11-19), 4 also by sessions;
        // audience revenue the first sales 6, 8 and 11. VIP week: user 1's refunded order; no VIP sale left.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, coupon_orders, coupon_revenue, customers_reached, customers_converted, audience_revenue
            FROM analytics.campaign_performance WHERE as_of = '2026-11-23' ORDER BY campaign_id
            """), ["1|1|5400.00|5|1|27900.00", "2|2|13500.00|3|2|16000.00", "3|0|0.00|1|0|0.00"])
        let afterNightly = try tables(shop)

        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(afterNightly, try tables(shop))
    }

    func testAFirstSaleMovedOnAKeptDayRecomputesThatAudiencesCampaignInWhole() throws {
        let shop = try campaignShop()
        // Karibu's baseline: new customers' first sales of 10-18..11-14 by weekday: user 2's 10-20 (3,000) and user 6's
        // 11-03 (1,000), both Tuesdays like the window's 11-17, the one Tuesday among its nine days: 4,000 / 4.
        XCTAssertEqual(try shop.admin.scalar("SELECT baseline_revenue FROM analytics.campaign_performance WHERE campaign_id = 2 AND as_of = '2026-11-22'"), "1000.00")
        // User 6's sale of 11-03 is cancelled late: the first sale is now 11-08's (2,400), a Sunday like 11-15 and 11-22:
        // (3,000 + 2 x 2,400) / 4. 11-04..11-08 are kept days, so Karibu is computed in whole; Lunch for all does not
        // depend on first sales and keeps its figures.
        try shop.admin.execute("UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now() WHERE id = 12")
        let (summary, lines) = try nightly(shop)
        XCTAssertEqual(summary.days.map(\.description), ["2026-11-03", "2026-11-23"])
        XCTAssertEqual(lines.first(containing: "campaigns:"),
                       "campaigns: 2 computed (1 from kept figures, 1 in whole), orders of 2026-10-18..2026-11-23")
        XCTAssertEqual(try shop.admin.scalar("SELECT baseline_revenue FROM analytics.campaign_performance WHERE campaign_id = 2 AND as_of = '2026-11-23'"), "1950.00")
        let afterNightly = try tables(shop)

        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(afterNightly, try tables(shop).filter { !vipWeekAsOfTheNightlyDay($0) })
    }

    func testCampaignStateIsNotUsedAfterACampaignChanged() throws {
        let shop = try campaignShop()
        try shop.admin.execute("UPDATE public.analytics_campaign SET end_date = end_date + interval '3 days' WHERE id = 2")
        let (_, lines) = try nightly(shop)
        XCTAssertEqual(lines.first(containing: "campaigns:"),
                       "campaigns: 2 computed (0 from kept figures, 2 in whole), orders of 2026-10-13..2026-11-23")
        let afterNightly = try tables(shop)
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(afterNightly, try tables(shop).filter { !vipWeekAsOfTheNightlyDay($0) })
    }
}
