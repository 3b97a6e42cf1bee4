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

    /// The stages of a job with every area, in the job's order (the funnel's events bring the campaigns' activity).
    func everyStage(_ o: inout JobOptions) { o.stages = [CustomerStage(), FunnelStage(), CampaignStage()] }

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

    /// The latest run's fit of the model check (`churn_model_fit`, `bg_nbd_check`): fitted, converged, customers,
    /// parameters, log-likelihood, distinct histories and note.
    func checkFit(_ shop: TestShop) throws -> String {
        try shop.rows("""
            SELECT fitted, converged, customers_used, parameters, log_likelihood, distinct_points, note FROM analytics.churn_model_fit
            WHERE model = 'bg_nbd_check' AND run_id = (SELECT max(run_id) FROM analytics.churn_model_fit)
            """).joined(separator: "\n")
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
        // Ten customers who bought in September and October, for the model check (fitted 30 days before the as-of
        // day): user 4+k on 1 September + k and 1 October + 2k (k = 0...9); users 4-6 again on 5 November, user 13 on
        // 24 October (after the backfill's cutoff, 23 October; by the nightly run's, 24 October).
        for k in 0..<10 {
            try shop.user(4 + k)
            try shop.order(100 + k, user: 4 + k, kigali: "2026-09-\(k < 9 ? "0" : "")\(1 + k) 12:00", subtotal: 5000)
            try shop.order(200 + k, user: 4 + k, kigali: "2026-10-\(k < 5 ? "0" : "")\(1 + 2 * k) 12:00", subtotal: 5000)
            if k < 3 { try shop.order(300 + k, user: 4 + k, kigali: "2026-11-05 12:00", subtotal: 5000) }
        }
        try shop.order(309, user: 13, kigali: "2026-10-24 12:00", subtotal: 5000)
        let backfill = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        XCTAssertEqual(try shop.customer(1, "total_orders"), "3")
        XCTAssertEqual(try shop.rows("SELECT label || ':' || customers || '/' || actual FROM analytics.model_check WHERE as_of = '2026-11-22' AND kind = 'purchases' ORDER BY position"),
                       ["All customers:10/4", "Bought on 2 days:10/4"])

        // The next day: user 2 buys again, user 1's sale of 11-20 and user 4's of 11-05 are cancelled late.
        try shop.order(7, user: 2, kigali: "2026-11-23 09:00", subtotal: 20000)
        try shop.admin.execute("UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now() WHERE id IN (3, 300)")
        let nightly = try shop.job(configure: everyStage).nightly(date: day)
        XCTAssertEqual(nightly.days.map(\.description), ["2026-11-05", "2026-11-20", "2026-11-23"])

        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "2/15000.00")
        XCTAssertEqual(try shop.customer(2, "total_orders || '/' || total_spent"), "2/620000.00")
        XCTAssertEqual(try shop.customer(3, "total_orders || '/' || days_since_last_order"), "1/20")
        // Users 1 and 4-6 (an order on 11-05 or 11-20, before the kept state's day 11-22) were re-read by the nightly run;
        // the others' sales were kept from the backfill: user 2's sale of 11-23 was read with the sales since 11-22 and is
        // on the as-of day, so the sums kept for the next run (the sales before 11-23) did not change.
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT string_agg(user_id || ':' || CASE run_id WHEN $1::bigint THEN 'backfill' WHEN $2::bigint THEN 'nightly' END, ',' ORDER BY user_id)
            FROM analytics.customer_sales_state
            """, [String(backfill.runId), String(nightly.runId)]),
            "1:nightly,2:backfill,3:backfill,4:nightly,5:nightly,6:nightly,7:backfill,8:backfill,9:backfill,10:backfill,11:backfill,12:backfill,13:backfill")
        // The model check as of 11-23, fitted to 24 October: user 13 (kept) had bought on 3 days by then; users 5 and 6
        // bought after it (user 4's sale was cancelled); nobody had gone 60 days without a sale.
        XCTAssertEqual(try shop.rows("SELECT fitted_to || ' ' || label || ':' || customers || '/' || actual FROM analytics.model_check WHERE as_of = '2026-11-23' ORDER BY kind DESC, position").prefix(5),
                       ["2026-10-24 All customers:10/2", "2026-10-24 Bought on 2 days:9/2", "2026-10-24 Bought on 3–4 days:1/0",
                        "2026-10-24 All customers:10/8", "2026-10-24 No sale for 60 days or more:0/0"])
        let nightlyFit = try checkFit(shop)
        XCTAssertTrue(nightlyFit.hasPrefix("t|t|10|"), nightlyFit)
        XCTAssertEqual(try shop.admin.scalar("SELECT as_of || '/' || (run_id = $1::bigint) FROM analytics.customer_sales_state_run", [String(nightly.runId)]),
                       "2026-11-23/true")
        let afterNightly = try tables(shop)

        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        XCTAssertEqual(try shop.admin.scalar("SELECT count(DISTINCT run_id) FROM analytics.customer_sales_state"), "1", "the backfill rewrote the state")
        let afterBackfill = try tables(shop)
        XCTAssertGreaterThan(afterBackfill.count, 100)
        XCTAssertEqual(afterNightly, afterBackfill)
        XCTAssertEqual(nightlyFit, try checkFit(shop))
    }

    /// Customers whose purchase days the model check's cutoff (30 days before the as-of day) passes over from one day
    /// to the next, 26 to 31 October, while their sales are kept.
    func arrangeCheckShop(_ shop: TestShop) throws {
        var id = 0
        func buy(_ user: Int, _ days: [String]) throws {
            for d in days { id += 1; try shop.order(id, user: user, kigali: "2026-\(d) 12:00", subtotal: 5000 + 100 * user) }
        }
        for u in 1...14 { try shop.user(u) }
        for u in 1...6 { try buy(u, ["09-01", "09-15", "10-01", "10-15"] + (u <= 3 ? ["10-28", "11-20"] : [])) }
        for u in 7...10 { try buy(u, ["08-01"] + (u == 7 ? ["10-30"] : [])) }
        try buy(11, ["10-20", "10-25", "10-27", "10-27", "10-29"])
        try buy(12, ["10-20", "10-29"])
        try buy(13, ["11-10"])
        try buy(14, ["09-20", "10-31"])
    }

    /// A backfill to 25 November, then a nightly run each day to 30 November, with new sales and late changes: after
    /// each, every analytics table and the check's fit are those of a backfill to the same day (on a second shop with
    /// the same orders), and the users without an order on a recomputed day keep the backfill's state.
    func testNightlyRunsDayAfterDayRunTheModelCheckAsABackfillDoes() throws {
        let nightly = try TestShop(), backfilled = try TestShop()
        // From 1 October, so the late changes of 28 and 31 October fall on days a backfill computes.
        let start = ShopDay(iso: "2026-10-01")!, last = ShopDay(iso: "2026-11-25")!
        var backfillRun: Int64 = 0
        for shop in [nightly, backfilled] {
            try arrangeCheckShop(shop)
            backfillRun = try shop.job(configure: everyStage).backfill(ShopDayRange(start, last)).runId
        }
        let changes: [String: (TestShop) throws -> Void] = [
            "2026-11-26": { try $0.order(100, user: 12, kigali: "2026-11-26 09:00", subtotal: 7000) },
            // User 2's sale of 28 October, cancelled late: the cutoff reaches that day with this run.
            "2026-11-27": { shop in
                try shop.admin.execute("""
                    UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now()
                    WHERE user_id = 2 AND created_at::date = '2026-10-28'
                    """)
            },
            "2026-11-28": { try $0.order(101, user: 13, kigali: "2026-11-28 09:00", subtotal: 7000) },
            // A sale of 31 October recorded late.
            "2026-11-30": { shop in
                try shop.order(102, user: 8, kigali: "2026-10-31 18:00", subtotal: 7000)
                try shop.admin.execute("UPDATE public.orders_order SET updated_at = now() WHERE id = 102")
            },
        ]
        for d in ShopDayRange(last.advanced(by: 1), ShopDay(iso: "2026-11-30")!) {
            try changes[d.iso]?(nightly)
            try changes[d.iso]?(backfilled)
            _ = try nightly.job(configure: everyStage).nightly(date: d)
            _ = try backfilled.job(configure: everyStage).backfill(ShopDayRange(start, d))
            XCTAssertFalse(try nightly.rows("SELECT 1 FROM analytics.model_check WHERE as_of = '\(d.iso)'").isEmpty, d.iso)
            let a = try tables(nightly), b = try tables(backfilled)
            XCTAssertGreaterThan(a.count, 100)
            XCTAssertEqual(a.filter { !b.contains($0) }, [], "only after the nightly run of \(d.iso)")
            XCTAssertEqual(b.filter { !a.contains($0) }, [], "only after the backfill to \(d.iso)")
            XCTAssertEqual(try checkFit(nightly), try checkFit(backfilled), d.iso)
        }
        // Kept from the backfill all along: the users with no order on a day a nightly run recomputed (user 14's sale of
        // 31 October was kept until the run of 30 November recomputed that day).
        XCTAssertEqual(try nightly.rows("SELECT user_id FROM analytics.customer_sales_state WHERE run_id = \(backfillRun) ORDER BY 1"),
                       ["4", "5", "6", "7", "9", "10", "11"])
        // As of 30 November, fitted to 31 October, by hand: 13 customers had bought by then (not user 13). Purchase days
        // by then and after: users 1 and 3: 5 and 1; user 2: 4 and 1 (28 October cancelled); users 4-6: 4 and 0;
        // users 7, 8 (31 October, recorded late), 12 and 14: 2, and 1 for user 12 (26 November); users 9 and 10: 1 and 0 (last sale
        // 1 August, 91 days before: flagged by the 60-day rule); user 11: 4 and 0.
        XCTAssertEqual(try nightly.rows("SELECT fitted_to || ' ' || label || ':' || customers || '/' || actual FROM analytics.model_check WHERE as_of = '2026-11-30' ORDER BY kind DESC, position").prefix(7),
                       ["2026-10-31 All customers:13/4", "2026-10-31 Bought on 1 day:2/0", "2026-10-31 Bought on 2 days:4/1",
                        "2026-10-31 Bought on 3–4 days:5/1", "2026-10-31 Bought on 5–8 days:2/2",
                        "2026-10-31 All customers:13/9", "2026-10-31 No sale for 60 days or more:2/2"])
    }

    // MARK: kept sales: the sales before the start of the as-of day

    /// User 1 buys on 10-28, 11-09, 11-22 and twice on 11-23; user 2 first buys on 11-23, after a session of that day;
    /// user 3 on 11-05 only; user 4 on 10-25 and 11-22. Totals: 10,000, 5,000, 3,000, 2,000 and 1,500; 4,000; 8,000;
    /// 6,000 and 2,500.
    func arrangeSplitShop(_ shop: TestShop) throws {
        for u in 1...4 { try shop.user(u) }
        try shop.order(1, user: 1, kigali: "2026-10-28 10:00", subtotal: 10000)
        try shop.order(2, user: 1, kigali: "2026-11-09 12:00", subtotal: 5000)
        try shop.order(3, user: 1, kigali: "2026-11-22 09:00", subtotal: 3000)
        try shop.order(4, user: 1, kigali: "2026-11-23 10:00", subtotal: 2000)
        try shop.order(5, user: 1, kigali: "2026-11-23 18:00", subtotal: 1500)
        try shop.order(6, user: 2, kigali: "2026-11-23 11:00", subtotal: 4000)
        try shop.order(7, user: 3, kigali: "2026-11-05 12:00", subtotal: 8000)
        try shop.order(8, user: 4, kigali: "2026-10-25 12:00", subtotal: 6000)
        try shop.order(9, user: 4, kigali: "2026-11-22 13:00", subtotal: 2500)
        try shop.event(1, "view_menu", session: "s1", user: 2, kigali: "2026-11-23 10:50")
        try shop.event(2, "complete_order", session: "s1", user: 2, kigali: "2026-11-23 11:00")
        try shop.event(3, "view_menu", session: "s2", user: 1, kigali: "2026-11-23 09:55")
        try shop.event(4, "complete_order", session: "s2", user: 1, kigali: "2026-11-23 10:00")
    }

    /// User 3's kept sums (one sale, 11-05), and user 4's once the sale of 11-22 is among them (28 days after 10-25).
    let keptUser3 = "3 1 8000.00 2026-11-05..2026-11-05 1 8000.00 {2026-11-01} {} -"
    let keptUser4 = "4 2 8500.00 2026-10-25..2026-11-22 2 6000.00 {2026-10-01,2026-11-01} {2026-10-25} -"

    /// The kept sums, one line per user: sales, spent, first..last sale day, purchase days, the first day's spend, the
    /// months, the recent purchase days and the earlier purchase day ("-": none).
    func keptSales(_ shop: TestShop) throws -> [String] {
        try shop.rows("""
            SELECT user_id || ' ' || sales || ' ' || spent || ' ' || first_sale_day || '..' || last_sale_day || ' ' || purchase_days
                   || ' ' || first_day_spend || ' ' || sale_months::text || ' ' || recent_purchase_days::text
                   || ' ' || coalesce(earlier_purchase_day::text, '-')
            FROM analytics.customer_sales_state ORDER BY user_id
            """)
    }

    /// The customer stage's progress: the users kept and re-read, then the sales read ("3 users' sales kept from the
    /// run of 2026-11-23; 0 re-read", "3 sales").
    func assertRead(_ lines: Lines, _ kept: String, _ sales: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(lines.first(containing: "users' sales kept"), kept, file: file, line: line)
        XCTAssertEqual(lines.first(containing: "set aside)")?.hasPrefix(sales + " (0 set aside)"), true, file: file, line: line)
    }

    /// The kept state's day and whether `run` wrote it, and the users whose kept sums `run` wrote.
    func keptBy(_ shop: TestShop, _ run: JobSummary) throws -> String {
        let id = String(run.runId)
        return try (shop.admin.scalar("SELECT as_of || '/' || (run_id = $1::bigint) FROM analytics.customer_sales_state_run", [id]) ?? "none")
            + " " + (shop.admin.scalar("SELECT coalesce(string_agg(user_id::text, ',' ORDER BY user_id), '') FROM analytics.customer_sales_state WHERE run_id = $1::bigint", [id]) ?? "")
    }

    func testASameDayRerunReadsOnlyThatDaysSalesAndLeavesTheBackfillsStateAndFigures() throws {
        let shop = try TestShop()
        try arrangeSplitShop(shop)
        let backfill = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        // The backfill keeps the sums before 11-23: user 1 without the two sales of 11-23 (10-28 and 11-09 are 25 and 13
        // days before 11-22), user 2 not at all.
        let keptByBackfill = [
            "1 3 18000.00 2026-10-28..2026-11-22 3 10000.00 {2026-10-01,2026-11-01} {2026-10-28,2026-11-09} -",
            keptUser3,
            keptUser4,
        ]
        XCTAssertEqual(try keptSales(shop), keptByBackfill)
        XCTAssertEqual(try keptBy(shop, backfill), "2026-11-23/true 1,3,4")
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "5/21500.00")
        let backfilled = try tables(shop)

        // The same day again: the three sales of 11-23 are read, no user's history, and nothing kept changes.
        let (rerun, lines) = try nightly(shop)
        XCTAssertEqual(rerun.days.map(\.description), ["2026-11-23"])
        assertRead(lines, "3 users' sales kept from the run of 2026-11-23; 0 re-read", "3 sales")
        XCTAssertEqual(try keptSales(shop), keptByBackfill)
        XCTAssertEqual(try keptBy(shop, rerun), "2026-11-23/true ")
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "5/21500.00")
        XCTAssertEqual(try shop.customer(2, "total_orders || '/' || total_spent || '/' || days_since_last_order"), "1/4000.00/0")
        assertSame(try tables(shop), backfilled)
    }

    /// A backfill to 11-22, then nightly runs of 11-23 and 11-24: each folds the sales since the kept day onto the kept
    /// sums, and leaves every analytics table (the kept sums included) as a backfill to the same day does.
    func testNextDayRunsFoldTheSalesSinceTheKeptDayAndMatchABackfill() throws {
        let kept = try TestShop(), backfilled = try TestShop()
        var backfillRun: Int64 = 0
        for shop in [kept, backfilled] {
            try arrangeSplitShop(shop)
            backfillRun = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1))).runId
        }
        XCTAssertEqual(try keptSales(kept), [
            "1 2 15000.00 2026-10-28..2026-11-09 2 10000.00 {2026-10-01,2026-11-01} {2026-10-28} -",
            keptUser3,
            "4 1 6000.00 2026-10-25..2026-10-25 1 6000.00 {2026-10-01} {} -",
        ])
        // 11-23: the sales of 11-22 (users 1 and 4) and 11-23 (users 1 twice, and 2) are read: 5. The kept sums become
        // those before 11-23: users 1 and 4 add 11-22 (user 1: a third purchase day; user 4: a second month); user 2,
        // whose first sale is on 11-23, gets none yet, but is a customer with a sale, new, in the figures.
        let (first23, lines) = try nightly(kept)
        XCTAssertEqual(first23.days.map(\.description), ["2026-11-23"])
        assertRead(lines, "3 users' sales kept from the run of 2026-11-22; 0 re-read", "5 sales")
        XCTAssertEqual(try keptSales(kept), [
            "1 3 18000.00 2026-10-28..2026-11-22 3 10000.00 {2026-10-01,2026-11-01} {2026-10-28,2026-11-09} -",
            keptUser3,
            keptUser4,
        ])
        XCTAssertEqual(try keptBy(kept, first23), "2026-11-23/true 1,4")
        XCTAssertEqual(try kept.rows("SELECT user_id FROM analytics.customer_sales_state WHERE run_id = \(backfillRun) ORDER BY 1"), ["3"])
        XCTAssertEqual(try kept.customer(1, "total_orders || '/' || total_spent || '/' || days_since_last_order"), "5/21500.00/0")
        XCTAssertEqual(try kept.customer(2, "total_orders || '/' || total_spent || '/' || days_since_last_order"), "1/4000.00/0")
        XCTAssertEqual(try kept.customer(2, "is_new"), "true")
        // The funnel's user types on 11-23: user 2's session is a new customer's (first sale that day), user 1's a
        // returning one's.
        XCTAssertEqual(try kept.rows("SELECT user_type || ':' || sessions || '/' || complete_order FROM analytics.funnel_daily WHERE day = '2026-11-23' AND user_type IN ('new', 'returning') ORDER BY 1"),
                       ["new:1/1", "returning:1/1"])
        _ = try backfilled.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(try tables(kept), try tables(backfilled))

        // 11-24, no new sale: the three sales of 11-23 are read and folded; 11-23 is one more purchase day for user 1
        // (two sales that day), whose recent days now reach back to 10-28 (26 days before 11-23).
        let next = day.advanced(by: 1)
        let (second, nextLines) = try nightly(kept, date: next)
        assertRead(nextLines, "3 users' sales kept from the run of 2026-11-23; 0 re-read", "3 sales")
        XCTAssertEqual(try keptSales(kept), [
            "1 5 21500.00 2026-10-28..2026-11-23 4 10000.00 {2026-10-01,2026-11-01} {2026-10-28,2026-11-09,2026-11-22} -",
            "2 1 4000.00 2026-11-23..2026-11-23 1 4000.00 {2026-11-01} {} -",
            keptUser3,
            keptUser4,
        ])
        XCTAssertEqual(try keptBy(kept, second), "2026-11-24/true 1,2")
        XCTAssertEqual(try kept.customer(1, "total_orders || '/' || days_since_last_order"), "5/1")
        _ = try backfilled.job(configure: everyStage).backfill(ShopDayRange(first, next))
        assertSame(try tables(kept), try tables(backfilled))
    }

    func testAnOrderChangedTwoWeeksBackRereadsThatUsersSalesWhole() throws {
        let shop = try TestShop()
        try arrangeSplitShop(shop)
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        // User 1's sale of 11-09, before the kept day 11-22, is refunded late: user 1's sales are read whole (10-28, 11-22
        // and 11-23 twice) and the kept sums replaced; users 3 and 4 are kept, user 4's sale of 11-22 and user 2's of
        // 11-23 read since 11-22: 6 sales.
        try shop.admin.execute("UPDATE public.orders_order SET payment_status = 'refunded', updated_at = now() WHERE id = 2")
        let (run, lines) = try nightly(shop)
        XCTAssertEqual(run.days.map(\.description), ["2026-11-09", "2026-11-23"])
        assertRead(lines, "2 users' sales kept from the run of 2026-11-22; 1 re-read", "6 sales")
        XCTAssertEqual(try keptSales(shop), [
            "1 2 13000.00 2026-10-28..2026-11-22 2 10000.00 {2026-10-01,2026-11-01} {2026-10-28} -",
            keptUser3,
            keptUser4,
        ])
        XCTAssertEqual(try keptBy(shop, run), "2026-11-23/true 1,4")
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "4/16500.00")
        let afterNightly = try tables(shop)
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(afterNightly, try tables(shop))
    }

    /// Without the customer stage (`--areas campaigns,funnel`) the kept sums' first sales (before the kept day) serve
    /// only a run that recomputes every day from the kept day on, whose users with a sale since are all re-read.
    func testWithoutTheCustomerStageKeptFirstSalesServeOnlyWhenEveryDayFromTheKeptDayIsRecomputed() throws {
        func campaignsAndFunnel(_ lines: Lines) -> (inout JobOptions) -> Void {
            { o in o.stages = [CampaignStage(), FunnelStage()]; o.progress = { lines.append($0) } }
        }
        let funnel = "SELECT user_type || ':' || sessions FROM analytics.funnel_daily WHERE day = '2026-11-23' AND user_type IN ('new', 'returning') ORDER BY 1"
        // Kept as of 11-22: the run of 11-23 does not recompute 11-22 (user 1's and 4's sales), so it reads every first
        // sale.
        let before = try TestShop()
        try arrangeSplitShop(before)
        _ = try before.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        let lines = Lines()
        _ = try before.job(configure: campaignsAndFunnel(lines)).nightly(date: day)
        XCTAssertNil(lines.first(containing: "first sales kept"))
        XCTAssertEqual(try before.rows(funnel), ["new:1", "returning:1"])
        // Kept as of 11-23 by a backfill to that day: its rerun recomputes 11-23 and re-reads users 1 and 2, who bought
        // that day; the figures are the backfill's.
        let same = try TestShop()
        try arrangeSplitShop(same)
        _ = try same.job(configure: everyStage).backfill(ShopDayRange(first, day))
        let backfilled = try tables(same)
        let rerun = Lines()
        _ = try same.job(configure: campaignsAndFunnel(rerun)).nightly(date: day)
        XCTAssertEqual(rerun.first(containing: "first sales kept"), "customers' first sales kept from the run of 2026-11-23; 2 re-read")
        XCTAssertEqual(try same.rows(funnel), ["new:1", "returning:1"])
        assertSame(try tables(same), backfilled)
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
        XCTAssertTrue(warmLine.contains("; check from the last fit, 2 evaluations and "), warmLine)
        let parameters = "SELECT model || ' ' || parameters::text || ' ' || log_likelihood FROM analytics.churn_model_fit WHERE run_id = $1::bigint ORDER BY model"
        let warmParameters = try shop.admin.execute(parameters, [String(nightly.runId)]).rows.map { $0[0] ?? "" }
        let afterNightly = try tables(shop)

        // A full backfill with no last fit to start from: a cold fit, the same tables to the last bit.
        try shop.admin.execute("UPDATE analytics.churn_model_fit SET converged = false")
        let full = try shop.job(configure: settled).backfill(ShopDayRange(firstDay, day))
        XCTAssertTrue(lines.fitLine().contains("BG/NBD r="))
        XCTAssertEqual(try shop.admin.execute(parameters, [String(full.runId)]).rows.map { $0[0] ?? "" }, warmParameters)
        XCTAssertEqual(try tables(shop), afterNightly)

        // Absurd last parameters: the start fails, the run says why and fits from scratch, to the same bits.
        try shop.admin.execute("""
            UPDATE analytics.churn_model_fit SET converged = true, parameters = '{"r": 1e300, "alpha": 1, "a": 1, "b": 1}'
            WHERE model = 'bg_nbd' AND run_id = $1::bigint
            """, [String(full.runId)])
        let rerun = try shop.job(configure: settled).nightly(date: day)
        XCTAssertTrue(lines.fitLine().contains("from scratch because the start from the last fit failed (the last fit's parameters are outside the range a fit can start from)"))
        XCTAssertEqual(try shop.admin.execute(parameters, [String(rerun.runId)]).rows.map { $0[0] ?? "" }, warmParameters)
    }

    func testTheSalesSinceTheKeptDayAreReadEvenOnDaysTheRunDoesNotRecompute() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, ShopDay(iso: "2026-11-10")!))
        // A sale on 11-15 the run of 11-23 does not recompute (it was there before the backfill's watermark): the run
        // reads every sale created since 11-10 (the kept sums are those before it).
        try shop.order(2, user: 1, kigali: "2026-11-15 10:00", subtotal: 5000, updatedKigali: "2026-11-15 10:00")
        let lines = Lines()
        let nightly = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.nightly(date: day)
        XCTAssertEqual(nightly.days.map(\.description), ["2026-11-23"])
        XCTAssertEqual(lines.first(containing: "users' sales kept"), "1 users' sales kept from the run of 2026-11-10; 0 re-read")
        XCTAssertEqual(lines.first(containing: "set aside)")?.hasPrefix("1 sales (0 set aside)"), true)
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "2/15000.00")
    }

    func testANightlyRereadOfSomeUsersStillReportsEveryUsersSalesBeforeTheShopsDates() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.user(2)
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        try shop.order(2, user: 1, kigali: "2026-11-03 10:00", subtotal: 700)
        try shop.order(3, user: 2, kigali: "2026-11-04 10:00", subtotal: 3000)
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '1850-05-01 10:00+00' WHERE id = 2")
        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        // Only user 2 buys on 11-23: the nightly run keeps both users' sales, reads the sales since 11-22 (user 2's of
        // 11-23), and still reports user 1's sale of 1850 (kept under the as-of day, like the backfill's under 11-22).
        try shop.order(4, user: 2, kigali: "2026-11-23 09:00", subtotal: 2000)
        let lines = Lines()
        _ = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.nightly(date: day)
        XCTAssertEqual(lines.first(containing: "users' sales kept"), "2 users' sales kept from the run of 2026-11-22; 0 re-read")
        XCTAssertEqual(try shop.rows("SELECT source_id || '|' || day || '|' || reason FROM analytics.rejected_rows WHERE source = 'orders_order' ORDER BY day"),
                       ["2|2026-11-22|out_of_range", "2|2026-11-23|out_of_range"])
        XCTAssertEqual(try shop.customer(1, "total_orders || '/' || total_spent"), "1/10000.00")
        XCTAssertEqual(try shop.customer(2, "total_orders || '/' || total_spent"), "2/5000.00")
    }

    // MARK: a backfill's sales summed from its order stream

    /// A backfill from the first sale's day sums the sales as the daily extract streams the orders (by id) and reads
    /// again, in time order, only the user whose sales came out of it (user 5: order 10 of 11-20 before order 11 of
    /// 11-02) and the rows dated before the shop's dates; a backfill to the same day that starts after a sale reads every
    /// sale. Both keep the same sums and write the same customer figures.
    func testABackfillFromTheFirstSaleSumsTheStreamedSalesAndRereadsOnlyAUserOutOfTimeOrder() throws {
        let shop = try TestShop()
        try arrangeSplitShop(shop)
        try shop.user(5)
        try shop.order(10, user: 5, kigali: "2026-11-20 12:00", subtotal: 3000)
        try shop.order(11, user: 5, kigali: "2026-11-02 12:00", subtotal: 1000)
        try shop.order(12, user: 3, kigali: "2026-11-04 12:00", subtotal: 700)
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '1850-05-01 10:00+00' WHERE id = 12")
        let kept = [
            "1 3 18000.00 2026-10-28..2026-11-22 3 10000.00 {2026-10-01,2026-11-01} {2026-10-28,2026-11-09} -",
            keptUser3,
            keptUser4,
            "5 2 4000.00 2026-11-02..2026-11-20 2 1000.00 {2026-11-01} {2026-11-02} -",
        ]
        func customerTables() throws -> [String] {
            try tables(shop).filter { row in ["customer_", "cohorts:", "program_summary:", "model_check:"].contains { row.hasPrefix($0) } }
        }
        func backfill(from: String) throws -> Lines {
            let lines = Lines()
            _ = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.backfill(ShopDayRange(ShopDay(iso: from)!, day))
            return lines
        }

        let streamed = try backfill(from: "2026-10-25")
        XCTAssertEqual(streamed.first(containing: "summed as the orders streamed"), "9 sales summed as the orders streamed; 1 user read again in time order")
        XCTAssertEqual(streamed.first(containing: "set aside)")?.hasPrefix("11 sales (1 set aside)"), true)
        XCTAssertEqual(try keptSales(shop), kept)
        XCTAssertEqual(try shop.customer(5, "total_orders || '/' || total_spent || '/' || first_order_date::date"), "2/4000.00/2026-11-02")
        XCTAssertEqual(try shop.rows("SELECT source_id || '|' || day || '|' || reason FROM analytics.rejected_rows WHERE source = 'orders_order'"),
                       ["12|2026-11-23|out_of_range"])
        let figures = try customerTables()
        XCTAssertGreaterThan(figures.count, 20)

        let read = try backfill(from: "2026-11-01")
        XCTAssertNil(read.first(containing: "summed as the orders streamed"))
        XCTAssertEqual(read.first(containing: "set aside)")?.hasPrefix("11 sales (1 set aside)"), true)
        XCTAssertEqual(try keptSales(shop), kept)
        XCTAssertEqual(try customerTables(), figures)
    }

    // MARK: loyalty points

    func testNightlyRunAddsOnlyNewAndLateLoyaltyTransactionsToTheKeptSumsAndMatchesAFullBackfill() throws {
        let shop = try TestShop()
        for u in 1...3 { try shop.user(u) }
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        try shop.order(2, user: 2, kigali: "2026-11-05 10:00", subtotal: 3000)
        // User 1: 100 earned, 30 redeemed (stored negative), 50 earned in the subscription store; user 2: one
        // transaction of 2,000,000 points (set aside); user 3, who never bought: 70 earned.
        try shop.orderPoints(user: 1, points: 100, type: "earned", kigali: "2026-11-02 10:05")
        try shop.orderPoints(user: 1, points: -30, type: "redeemed", kigali: "2026-11-04 10:00")
        try shop.subscriptionPoints(user: 1, points: 50, type: "EARN", kigali: "2026-11-06 10:00")
        try shop.orderPoints(user: 2, points: 2_000_000, type: "bonus", kigali: "2026-11-05 10:05")
        try shop.orderPoints(user: 3, points: 70, type: "earned", kigali: "2026-11-07 10:00")
        let backfill = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1)))
        XCTAssertEqual(try shop.rows("SELECT user_id || ':' || points_earned || '/' || points_redeemed || ' ' || coalesce(array_length(set_aside, 1), 0) FROM analytics.customer_loyalty_state ORDER BY user_id"),
                       ["1:150/30 0", "2:0/0 1", "3:70/0 0"])

        // The next day: user 1 redeems 20 subscription points on 11-23 and has a redemption of 1,500,000 points (set
        // aside); a bonus of 25 for user 3 dated 11-10, a day the backfill counted, is inserted late; 999 points for
        // user 1 on 11-24 are after the as-of day.
        try shop.subscriptionPoints(user: 1, points: 20, type: "REDEEM", kigali: "2026-11-23 09:00")
        try shop.orderPoints(user: 1, points: -1_500_000, type: "redeemed", kigali: "2026-11-23 09:30")
        try shop.orderPoints(user: 3, points: 25, type: "bonus", kigali: "2026-11-10 12:00")
        try shop.orderPoints(user: 1, points: 999, type: "earned", kigali: "2026-11-24 08:00")
        try shop.order(3, user: 2, kigali: "2026-11-23 09:00", subtotal: 2000)
        let lines = Lines()
        let nightly = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.nightly(date: day)
        XCTAssertEqual(lines.first(containing: "loyalty points kept"),
                       "3 users' loyalty points kept; 2 changed by 3 transactions since 2026-11-22 22:00:00.000000+00")
        XCTAssertEqual(try shop.rows("SELECT user_id || ':' || loyalty_points_earned || '/' || loyalty_points_redeemed FROM analytics.customer_metrics ORDER BY user_id"),
                       ["1:150/50", "2:0/0", "3:95/0"])
        XCTAssertEqual(try shop.rows("SELECT figure || '=' || count FROM analytics.program_summary WHERE as_of = '2026-11-23' AND program = 'loyalty' AND figure LIKE 'points_%' ORDER BY figure"),
                       ["points_earned=245", "points_redeemed=50"])
        XCTAssertEqual(try shop.rows("""
            SELECT r.day || ' ' || r.detail FROM analytics.rejected_rows r JOIN public.loyalty_pointstransaction t ON t.id::text = r.source_id
            WHERE r.source = 'loyalty_pointstransaction' ORDER BY r.day, t.points
            """), [
            "2026-11-22 2000000 points in one transaction is beyond ±1000000; left out of user 2's points",
            "2026-11-23 -1500000 points in one transaction is beyond ±1000000; left out of user 1's points",
            "2026-11-23 2000000 points in one transaction is beyond ±1000000; left out of user 2's points",
        ])
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT string_agg(user_id || ':' || CASE run_id WHEN $1::bigint THEN 'backfill' WHEN $2::bigint THEN 'nightly' END, ',' ORDER BY user_id)
            FROM analytics.customer_loyalty_state
            """, [String(backfill.runId), String(nightly.runId)]), "1:nightly,2:backfill,3:nightly")
        // The backfill to 11-22 reported user 2's set-aside transaction under 11-22; the nightly run does not recompute
        // that day, a backfill through 11-23 does (and reports it under 11-23 only).
        let (reportedBefore, afterNightly) = try tables(shop).reduce(into: ([String](), [String]())) { r, row in
            if row.hasPrefix("rejected_rows:") && row.contains("\"day\": \"2026-11-22\"") { r.0.append(row) } else { r.1.append(row) }
        }
        XCTAssertEqual(reportedBefore.count, 1)

        _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day))
        assertSame(afterNightly, try tables(shop))
    }

    func testLoyaltySumsKeptBeforeTheAsOfDayEndsAreCompletedByTheNextRun() throws {
        // With an overlap of 100 days for late commits, the runs keep sums only up to 100 days before their snapshot
        // (before any of these transactions): each run counts every transaction after that, and the figures are the same.
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        try shop.orderPoints(user: 1, points: 100, type: "earned", kigali: "2026-11-02 10:05")
        func longOverlap(_ o: inout JobOptions) { everyStage(&o); o.watermarkOverlapSeconds = 100 * 86_400 }
        _ = try shop.job(configure: longOverlap).backfill(ShopDayRange(first, day.advanced(by: -1)))
        XCTAssertEqual(try shop.customer(1, "loyalty_points_earned"), "100")
        XCTAssertEqual(try shop.rows("SELECT count(*) FROM analytics.customer_loyalty_state"), ["0"])
        try shop.subscriptionPoints(user: 1, points: 20, type: "REDEEM", kigali: "2026-11-23 09:00")
        _ = try shop.job(configure: longOverlap).nightly(date: day)
        XCTAssertEqual(try shop.customer(1, "loyalty_points_earned || '/' || loyalty_points_redeemed"), "100/20")
        XCTAssertEqual(try shop.rows("SELECT count(*) FROM analytics.customer_loyalty_state"), ["0"])
    }

    // MARK: campaigns and the funnel

    /// A shop with three campaigns and some sessions, backfilled 11-01..11-22 (Kigali):
    /// 1 "Lunch for all" (all, 11-10..11-30, code LUNCHFORALL), 2 "Karibu" (new_customers, 11-15..11-25, coupon code KARIBU),
    /// 3 "VIP week" (vip, 11-16..11-22). Users 1 (VIP since 11-01) and 2 bought in October and November; 3 is referred;
    /// 6 bought on 11-03 (1,000) and 11-08 (2,400), in Karibu's baseline (10-18..11-14).
    func campaignShop(backfill: Bool = true) throws -> TestShop {
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
        if backfill { _ = try shop.job(configure: everyStage).backfill(ShopDayRange(first, day.advanced(by: -1))) }
        return shop
    }

    /// A backfill from the shop's first sale feeds the campaigns the daily extract's orders as they stream (by id), each
    /// new-customer decision taken from the user's sales streamed before it, and reads only the days before the stream;
    /// a backfill of the campaigns alone reads their orders. Both write the same campaign tables. With a user whose
    /// sales stream out of time order and a new-customer campaign computed, the campaigns read their orders again.
    func testABackfillFromTheFirstSaleTakesTheCampaignsOrdersFromTheDailyStream() throws {
        let shop = try campaignShop(backfill: false)
        // In Karibu's window (new customers): user 7 cancels an order on 11-16, then makes a first sale on 11-18; user 8
        // cancels one on 11-20 (order 14) after a first sale on 11-17 that has a higher id (order 15): when order 14
        // streams, neither user has a sale yet.
        for u in 7...8 { try shop.user(u) }
        try shop.order(16, user: 7, kigali: "2026-11-16 09:00", status: "cancelled", payment: "failed", subtotal: 1200)
        try shop.order(17, user: 7, kigali: "2026-11-18 09:00", subtotal: 1300)
        try shop.order(14, user: 8, kigali: "2026-11-20 09:00", status: "cancelled", payment: "failed", subtotal: 1400)
        try shop.order(15, user: 8, kigali: "2026-11-17 09:00", subtotal: 1500)
        // Activity the funnel's events bring: an event of a type the funnel sets aside (user 8 on 11-22) and one on 11-14,
        // a margin day that both of the funnel's chunks (10-14..11-13 and 11-14..11-23) read (user 6).
        try shop.event(7, "bogus_type", session: "s9", user: 8, kigali: "2026-11-22 09:00")
        try shop.event(8, "view_menu", session: "s10", user: 6, kigali: "2026-11-14 09:00")
        let range = ShopDayRange(ShopDay(iso: "2026-10-14")!, day)
        func backfill(_ stages: [any AnalyticsStage]) throws -> Lines {
            let lines = Lines()
            _ = try shop.job { $0.stages = stages; $0.progress = { lines.append($0) } }.backfill(range)
            return lines
        }
        func campaignTables() throws -> [String] { try tables(shop).filter { $0.hasPrefix("campaign") } }

        let streamed = try backfill([CustomerStage(), FunnelStage(), CampaignStage()])
        // Lunch for all's baseline starts on 10-13, the day before the stream.
        XCTAssertEqual(streamed.first(containing: "campaigns:"), "campaigns: 3 computed from the daily extract's orders, and the orders of 2026-10-13")
        XCTAssertNotNil(streamed.first(containing: "computing campaigns, up to the activity it takes from the funnel's events"))
        let figures = try campaignTables()
        XCTAssertGreaterThan(figures.count, 100)
        // Karibu's reach: user 7 on 11-16 (no sale before) and 11-18; user 8 on 11-17 only (on 11-20 and 11-22 no longer
        // new). Lunch for all's: user 8 on 11-22 too (the event set aside), user 6 on 11-14 (the margin day).
        XCTAssertEqual(try shop.rows("SELECT campaign_id || ':' || user_id || ' ' || reached_days::text FROM analytics.campaign_state_customers WHERE user_id IN (6, 7, 8) ORDER BY 1"),
                       ["1:6 {2026-11-14}", "1:7 {2026-11-16,2026-11-18}", "1:8 {2026-11-17,2026-11-20,2026-11-22}",
                        "2:7 {2026-11-16,2026-11-18}", "2:8 {2026-11-17}"])
        XCTAssertEqual(try shop.rows("SELECT customers_reached FROM analytics.campaign_daily WHERE campaign_id = 1 AND day = '2026-11-14'"), ["1"])

        let read = try backfill([CampaignStage()])
        XCTAssertEqual(read.first(containing: "campaigns:"), "campaigns: 3 computed (0 from kept figures, 3 in whole), orders of 2026-10-13..2026-11-23")
        XCTAssertEqual(try campaignTables(), figures)

        // User 9's sales out of time order: the stream's first sales are not all first sales, and Karibu needs them.
        try shop.user(9)
        try shop.order(18, user: 9, kigali: "2026-11-21 09:00", subtotal: 1800)
        try shop.order(19, user: 9, kigali: "2026-11-19 09:00", subtotal: 1900)
        let fallback = try backfill([CustomerStage(), FunnelStage(), CampaignStage()])
        XCTAssertEqual(fallback.first(containing: "campaigns:"), "campaigns: 3 computed (0 from kept figures, 3 in whole), orders of 2026-10-13..2026-11-23")
        let withUser9 = try campaignTables()
        _ = try backfill([CampaignStage()])
        XCTAssertEqual(try campaignTables(), withUser9)
        XCTAssertNotEqual(withUser9, figures)
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

    func nightly(_ shop: TestShop, date: ShopDay? = nil) throws -> (JobSummary, Lines) {
        let lines = Lines()
        let summary = try shop.job { everyStage(&$0); $0.progress = { lines.append($0) } }.nightly(date: date ?? day)
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
        // User 5 reaches a tier tonight (after VIP week: no campaign figure changes, the kept audience facts do).
        try shop.vipTier(user: 5, achieved: "2026-11-23")
        let backfillRun = try XCTUnwrap(shop.admin.scalar("SELECT run_id FROM analytics.campaign_state_run"))
        let (summary, lines) = try nightly(shop)
        XCTAssertEqual(summary.days.map(\.description), ["2026-11-20", "2026-11-23"])
        // Campaign 1 and 2 run on 11-23, campaign 3's window meets 11-20: all three from their kept figures.
        XCTAssertEqual(lines.first(containing: "campaigns:"),
                       "campaigns: 3 computed (3 from kept figures, 0 in whole), orders of 2026-11-20, 2026-11-23")
        XCTAssertNotNil(lines.first(containing: "customers' first sales kept from the run of 2026-11-22; 2 with orders recomputed"))
        // Lunch for all: sale 4 only (sale 7 refunded); reached 1, 2, 3, 5 (orders) and 4 (sessions, an order): 5; the
        // audience's revenue is every sale of 11-10..11-23: 5,400 + 2,000 + 6,300 + 2,500 + 4,500 + 7,200.
        // Karibu: sales 6 and 11 by coupon; reached 3 and 4 (first sales), 5 (first sale 11-19), 4 also by sessions;
        // audience revenue the first sales 6, 8 and 11. VIP week: user 1's refunded order; no VIP sale left.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, coupon_orders, coupon_revenue, customers_reached, customers_converted, audience_revenue
            FROM analytics.campaign_performance WHERE as_of = '2026-11-23' ORDER BY campaign_id
            """), ["1|1|5400.00|5|1|27900.00", "2|2|13500.00|3|2|16000.00", "3|0|0.00|1|0|0.00"])
        // The nightly run wrote only the kept customers' rows that changed: user 1's of Lunch for all (the refunded sale
        // 7 of 11-20 still reaches but no longer converts) and user 4's of Lunch for all and Karibu (reached by the
        // session of 11-21, now also on 11-23, converted by KARIBU); the others stay as the backfill wrote them, VIP
        // week's user 1 too (sale 7 reached it and was credited to Lunch for all). Of the audience facts only user 5's
        // tier is new.
        let written = "SELECT %@ FROM analytics.%@ WHERE run_id = $1::bigint ORDER BY 1"
        XCTAssertEqual(try shop.admin.execute(String(format: written, "campaign_id || ':' || user_id || ' ' || reached_days::text || ' ' || converted_days::text",
                                                     "campaign_state_customers"), [String(summary.runId)]).rows.map { $0[0] ?? "" },
                       ["1:1 {2026-11-12,2026-11-20} {2026-11-12}", "1:4 {2026-11-21,2026-11-23} {}",
                        "2:4 {2026-11-21,2026-11-23} {2026-11-23}"])
        XCTAssertEqual(try shop.rows("SELECT campaign_id || ':' || user_id FROM analytics.campaign_state_customers WHERE run_id = \(backfillRun) ORDER BY 1"),
                       ["1:2", "1:3", "1:5", "2:3", "2:5", "3:1"])
        XCTAssertEqual(try shop.admin.execute(String(format: written, "user_id || ' ' || vip_since", "campaign_state_facts"),
                                              [String(summary.runId)]).rows.map { $0[0] ?? "" }, ["5 2026-11-23"])
        XCTAssertEqual(try shop.rows("SELECT count(*) FROM analytics.campaign_state_facts"), ["3"])
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
