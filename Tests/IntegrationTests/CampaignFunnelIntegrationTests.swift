import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

extension TestShop {
    /// A campaign; times are `YYYY-MM-DD HH:MM:SS` in Kigali, money in francs (budget nil for none).
    func campaign(_ id: Int, name: String, description: String = "", status: String = "active", audience: String = "all",
                  discountType: String = "percentage", discountValue: String = "10",
                  startKigali: String, endKigali: String, budget: String?) throws {
        try admin.execute("""
            INSERT INTO public.analytics_campaign (id, name, description, status, discount_type, discount_value, target_audience,
              start_date, end_date, budget, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $9, $10::numeric, $5, ($6::timestamp AT TIME ZONE 'Africa/Kigali'),
              ($7::timestamp AT TIME ZONE 'Africa/Kigali'), $8, now(), now())
            """, [String(id), name, description, status, audience, startKigali, endKigali, budget, discountType, discountValue])
    }

    func couponCode(order: Int, _ code: String) throws {
        try admin.execute("UPDATE public.orders_order SET coupon_code = $1 WHERE id = $2", [code, String(order)])
    }

    func vipTier(user: Int, achieved: String) throws {
        try admin.execute("""
            INSERT INTO public.subscriptions_viptier (tier_level, spending_ytd, spending_total, promotion_percentage, access_level,
              achieved_at, next_tier_threshold, benefits_list, created_at, updated_at, user_id)
            VALUES ('gold', 0, 0, 10, 1, $1::date, 0, '[]', now(), now(), $2)
            """, [achieved, String(user)])
    }

    /// A conversion event at a Kigali time (`YYYY-MM-DD HH:MM`).
    func event(_ id: Int, _ type: String, session: String, user: Int? = nil, kigali: String) throws {
        try admin.execute("""
            INSERT INTO public.analytics_conversionevent (id, event_type, session_id, "timestamp", metadata, user_id)
            VALUES ($1, $2, $3, ($4::timestamp AT TIME ZONE 'Africa/Kigali'), '{}', $5)
            """, [String(id), type, session, kigali, user.map(String.init)])
    }

    func pageView(_ page: String, day: String, views: Int, unique: Int) throws {
        try admin.execute("""
            INSERT INTO public.analytics_pageviewanalytics (page_name, view_count, unique_visitors, date, created_at)
            VALUES ($1, $2, $3, $4::date, now())
            """, [page, String(views), String(unique), day])
    }

    /// Rows of a query, each row's columns joined with `|`.
    func rows(_ sql: String) throws -> [String] {
        try admin.execute(sql).rows.map { $0.map { $0 ?? "NULL" }.joined(separator: "|") }
    }
}

/// Campaigns and the funnel through the real job, on a hand-made shop (Monday 23 and Tuesday 24 November 2026).
///
/// Customers: 1 is VIP since 1 October and bought on Monday 26 October (8,000) and Tuesday 10 November (1,000): the
/// shop's first sale opens the four-week baseline of a campaign starting Monday 23 exactly; 2 and 3 have no earlier sale.
/// Campaigns: 1 "VIP week" (vip, 23rd..29th, budget 5,000, code VIPWEEK by name); 2 "Tiny budget" (all, the 23rd,
/// budget 0.01, coupon TINY); 3 a draft; 4 a row with an unknown status.
final class CampaignFunnelIntegrationTests: XCTestCase {
    let range = ShopDayRange(ShopDay(iso: "2026-11-23")!, ShopDay(iso: "2026-11-24")!)

    func makeShop() throws -> TestShop {
        let shop = try TestShop()
        for u in 1...3 { try shop.user(u) }
        try shop.vipTier(user: 1, achieved: "2026-10-01")
        try shop.campaign(1, name: "VIP week", audience: "vip", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-29 23:59:59", budget: "5000")
        try shop.campaign(2, name: "Tiny budget", description: "Use coupon code TINY.", status: "completed",
                          startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-23 23:59:59", budget: "0.01")
        try shop.campaign(3, name: "Later draft", status: "draft", startKigali: "2026-11-23 00:00:00", endKigali: "2026-12-31 23:59:59", budget: nil)
        try shop.campaign(4, name: "Odd", status: "archived", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-30 23:59:59", budget: nil)

        try shop.order(11, user: 1, kigali: "2026-10-26 12:00", subtotal: 8000)               // customer 1's first sale (baseline)
        try shop.order(10, user: 1, kigali: "2026-11-10 12:00", subtotal: 1000)               // baseline
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 4000)                // no code: VIP audience only
        try shop.order(2, user: 2, kigali: "2026-11-23 13:00", subtotal: 6600, coupon: 600)   // VIP week by coupon
        try shop.couponCode(order: 2, "VIPWEEK")
        try shop.order(3, user: 3, kigali: "2026-11-23 23:30", subtotal: 2000)                // Tiny budget by coupon
        try shop.couponCode(order: 3, "tiny")
        try shop.order(4, user: 3, kigali: "2026-11-24 00:30", subtotal: 3000)                // none: no code
        try shop.couponCode(order: 4, "TINY")                                                 // ...and Tiny budget is over
        try shop.order(5, user: 1, kigali: "2026-11-24 10:00", subtotal: 5000)                // no code: VIP audience only

        // 23rd: a1 customer 2 (new) all four steps; a2 anonymous menu; a3 customer 1 (returning) menu then complete_order.
        try shop.event(1, "view_menu", session: "a1", user: 2, kigali: "2026-11-23 12:50")
        try shop.event(2, "add_to_cart", session: "a1", user: 2, kigali: "2026-11-23 12:55")
        try shop.event(3, "start_checkout", session: "a1", user: 2, kigali: "2026-11-23 12:58")
        try shop.event(4, "complete_order", session: "a1", user: 2, kigali: "2026-11-23 13:00")
        try shop.event(5, "view_menu", session: "a2", kigali: "2026-11-23 15:00")
        try shop.event(6, "view_menu", session: "a3", user: 1, kigali: "2026-11-23 11:55")
        try shop.event(7, "complete_order", session: "a3", user: 1, kigali: "2026-11-23 12:00")
        try shop.event(8, "unknown_step", session: "", kigali: "2026-11-23 16:00")   // rejected: unknown type
        try shop.event(9, "add_to_cart", session: "", kigali: "2026-11-23 16:01")    // rejected: no session
        // 24th: customer 1 views the menu and orders without a complete_order event.
        try shop.event(10, "view_menu", session: "b1", user: 1, kigali: "2026-11-24 09:55")

        try shop.pageView("menu", day: "2026-11-23", views: 30, unique: 20)
        try shop.pageView("home", day: "2026-11-23", views: 50, unique: 40)
        try shop.pageView("menu", day: "2026-11-24", views: 10, unique: 8)
        return shop
    }

    func backfill(_ shop: TestShop) throws {
        _ = try shop.job(djangoTables: true) { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(range)
    }

    func testCampaignFiguresInTheAnalyticsTables() throws {
        let shop = try makeShop()
        try backfill(shop)
        XCTAssertEqual(try shop.rows("SELECT campaign_id, status, coupon_code, attributed FROM analytics.campaigns ORDER BY campaign_id"),
                       ["1|active|VIPWEEK|t", "2|completed|TINY|t", "3|draft|LATERDRAFT|f"])
        // VIP week: only order 2 carried its code (6,000; discount 600); ROI (6,000 - 5,000) / 5,000. Its audience (VIP)
        // spent 4,000 + 5,000 on Monday and Tuesday; the four weeks before hold a Monday of 8,000 and a Tuesday of
        // 1,000: expected (8,000 + 1,000) / 4 = 2,250, lift 6,750 (+300 %).
        // Tiny budget: order 3 (2,000) by its coupon against a budget of 0.01; everyone's Monday 23 (12,000) against
        // 8,000 / 4 = 2,000 expected.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, as_of, last_day, coupon_orders, coupon_revenue, discount_given, customers_reached,
                   customers_converted, conversion_rate, budget_used, audience_revenue, baseline_first_day, baseline_revenue, lift,
                   uplift, lift_unmeasurable, return_basis, cost, cost_basis, roi, roi_unmeasurable
            FROM analytics.campaign_performance ORDER BY campaign_id
            """), [
            "1|2026-11-24|2026-11-24|1|6000.00|600.00|2|1|50.00|12.00|9000.00|2026-10-26|2250.00|6750.00|300.00|NULL|coupon|5000.00|budget|20.00|NULL",
            "2|2026-11-24|2026-11-23|1|2000.00|0.00|3|1|33.33|0.00|12000.00|2026-10-26|2000.00|10000.00|500.00|NULL|coupon|0.01|budget|19999900.00|NULL",
        ])
        XCTAssertEqual(try shop.rows("""
            SELECT day, campaign_id, coupon_orders, coupon_revenue, customers_reached, customers_converted, conversion_rate, audience_revenue
            FROM analytics.campaign_daily ORDER BY day, campaign_id
            """), [
            "2026-11-23|1|1|6000.00|2|1|50.00|4000.00",
            "2026-11-23|2|1|2000.00|3|1|33.33|12000.00",
            "2026-11-24|1|0|0.00|1|0|0.00|5000.00",
        ])
    }

    func testAShopYoungerThanFourWeeksGetsNoLift() throws {
        let shop = try makeShop()
        try shop.admin.execute("DELETE FROM public.orders_order WHERE id = 11")   // the first sale is now 10 November
        try backfill(shop)
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, audience_revenue, baseline_revenue, lift, lift_unmeasurable, return_basis, roi, roi_unmeasurable
            FROM analytics.campaign_performance ORDER BY campaign_id
            """), ["1|9000.00|NULL|NULL|short_history|coupon|20.00|NULL", "2|12000.00|NULL|NULL|short_history|coupon|19999900.00|NULL"])
    }

    func testShopsCampaignPerformanceTableGetsOneRowPerCampaignPerRunDay() throws {
        let shop = try makeShop()
        try backfill(shop)
        try backfill(shop)   // the same day again: replaces, never adds
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, orders_influenced, revenue_generated, customers_reached, customers_converted, conversion_rate, roi
            FROM public.analytics_campaignperformance ORDER BY campaign_id
            """), ["1|1|6000.00|2|1|50.00|20.00"], "campaign 2's ROI does not fit numeric(8,2): reported, not written")
        XCTAssertEqual(try shop.rows("""
            SELECT source, source_id, reason FROM analytics.rejected_rows WHERE source LIKE 'analytics_campaign%' ORDER BY source
            """), ["analytics_campaign|4|unknown_status", "analytics_campaignperformance|2|value_too_wide"])
    }

    func testANegativeDiscountValueIsARejectedRow() throws {
        let shop = try makeShop()
        try shop.campaign(5, name: "Minus ten", discountValue: "-10", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-24 23:59:59", budget: nil)
        try shop.campaign(6, name: "Minus five hundred", discountType: "fixed", discountValue: "-500",
                          startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-24 23:59:59", budget: "1000")
        try backfill(shop)
        XCTAssertEqual(try shop.rows("SELECT campaign_id FROM analytics.campaigns ORDER BY campaign_id"), ["1", "2", "3"])
        XCTAssertEqual(try shop.rows("""
            SELECT source_id, reason, split_part(detail, ';', 1) FROM analytics.rejected_rows WHERE source = 'analytics_campaign' ORDER BY source_id
            """), ["4|unknown_status|status 'archived' is not one of draft, active, paused, completed, cancelled",
                   "5|negative_amount|discount_value is negative", "6|negative_amount|discount_value is negative"])
    }

    func testACampaignWindowOutsideTheShopsDatesIsARejectedRow() throws {
        let shop = try makeShop()
        try shop.campaign(5, name: "Forever", startKigali: "1850-01-01 00:00:00", endKigali: "2999-12-31 23:59:59", budget: nil)
        try shop.campaign(6, name: "Too early", startKigali: "1999-12-31 23:59:59", endKigali: "2026-11-24 23:59:59", budget: nil)
        try shop.campaign(7, name: "Too late", startKigali: "2026-11-23 00:00:00", endKigali: "2100-01-01 00:00:00", budget: nil)
        try shop.campaign(8, name: "Widest", startKigali: "2000-01-01 00:00:00", endKigali: "2099-12-31 23:59:59", budget: nil)
        try backfill(shop)
        XCTAssertEqual(try shop.rows("SELECT campaign_id, first_day, last_day FROM analytics.campaigns WHERE campaign_id >= 5"),
                       ["8|2000-01-01|2099-12-31"])
        XCTAssertEqual(try shop.rows("""
            SELECT source_id, reason FROM analytics.rejected_rows WHERE source = 'analytics_campaign' AND source_id::int >= 5 ORDER BY source_id
            """), ["5|out_of_range", "6|out_of_range", "7|out_of_range"])
    }

    /// A campaign row has no day: its rejected rows are dated each job's last day, so that day's report lists them, a
    /// later job reports what is still wrong on its own day, and a rerun replaces them.
    func testCampaignRejectedRowsAreReportedOnEachJobsLastDayOnce() throws {
        let shop = try makeShop()
        try backfill(shop)
        try backfill(shop)   // the same days again: replaces
        let nightly = ShopDay(iso: "2026-11-25")!
        for _ in 0..<2 {
            _ = try shop.job(djangoTables: true) { $0.stages = [CampaignStage(), FunnelStage()] }.nightly(date: nightly)
        }
        XCTAssertEqual(try shop.rows("""
            SELECT day, source, source_id, reason, detail FROM analytics.rejected_rows WHERE source LIKE 'analytics_campaign%'
            ORDER BY day, source
            """), [
            "2026-11-24|analytics_campaign|4|unknown_status|status 'archived' is not one of draft, active, paused, completed, cancelled; reported as of 2026-11-24, the job's last day",
            "2026-11-24|analytics_campaignperformance|2|value_too_wide|roi = 19999900.00 (percent) does not fit numeric(8,2); campaign 2 was not written to the shop's table",
            "2026-11-25|analytics_campaign|4|unknown_status|status 'archived' is not one of draft, active, paused, completed, cancelled; reported as of 2026-11-25, the job's last day",
        ], "campaign 2 ended on the 23rd: the nightly run of the 25th does not compute it, and keeps the 24th's row")
        let reader = ReportReader(connection: try shop.connect())
        for day in ["2026-11-24", "2026-11-25"] {
            let report = try reader.report(ReportReader.Request(name: "daily", title: "Daily", period: .day, day: ShopDay(iso: day)!,
                                                                trendDays: 1, targets: [], timeZone: "Africa/Kigali"))
            XCTAssertEqual(report.rejected.filter { $0.source.hasPrefix("analytics_campaign") }.map { "\($0.source)|\($0.reason)|\($0.count)" },
                           day == "2026-11-24" ? ["analytics_campaign|unknown_status|1", "analytics_campaignperformance|value_too_wide|1"]
                               : ["analytics_campaign|unknown_status|1"], day)
        }
    }

    /// 150 more orders of RWF 99,999,999 carry TINY against its budget of 0.01: the ROI, 150,000,018,499,900.00 %, does
    /// not fit numeric(16,2). It is stored empty and reported; the run and the other figures go on.
    func testAFigureTooWideForTheWarehouseIsStoredEmptyAndReported() throws {
        let shop = try makeShop()
        for id in 100..<250 {
            try shop.order(id, user: 2, kigali: "2026-11-23 14:00", subtotal: 99_999_999)
            try shop.couponCode(order: id, "TINY")
        }
        try backfill(shop)
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, coupon_orders, coupon_revenue, cost, roi, roi_unmeasurable FROM analytics.campaign_performance ORDER BY campaign_id
            """), ["1|1|6000.00|5000.00|20.00|NULL", "2|151|15000001850.00|0.01|NULL|NULL"])
        XCTAssertEqual(try shop.rows("""
            SELECT day, source_id, reason, detail FROM analytics.rejected_rows WHERE source = 'analytics.campaign_performance'
            """), ["2026-11-24|2|value_too_wide|roi = 150000018499900.00 (percent) does not fit numeric(16,2); stored empty for campaign 2"])
    }

    func testFunnelGapAndPageViews() throws {
        let shop = try makeShop()
        try backfill(shop)
        XCTAssertEqual(try shop.rows("""
            SELECT day, user_type, sessions, view_menu, add_to_cart, start_checkout, complete_order, skipped_steps
            FROM analytics.funnel_daily WHERE sessions > 0 ORDER BY day, user_type
            """), [
            "2026-11-23|all|3|3|2|2|2|1",
            "2026-11-23|anonymous|1|1|0|0|0|0",
            "2026-11-23|new|1|1|1|1|1|0",
            "2026-11-23|returning|1|1|1|1|1|1",
            "2026-11-24|all|1|1|0|0|0|0",
            "2026-11-24|returning|1|1|0|0|0|0",
        ])
        XCTAssertEqual(try shop.rows("SELECT count(*) FROM analytics.funnel_daily"), ["8"], "every day has a row per user type")
        XCTAssertEqual(try shop.rows("""
            SELECT day, orders_placed, complete_order_sessions, orders_without_event, sessions_without_order FROM analytics.funnel_gap ORDER BY day
            """), ["2026-11-23|3|2|1|0", "2026-11-24|2|0|2|0"])
        XCTAssertEqual(try shop.rows("SELECT day, page_name, views, unique_visitors FROM analytics.page_views ORDER BY day, page_name"),
                       ["2026-11-23|home|50|40", "2026-11-23|menu|30|20", "2026-11-24|menu|10|8"])
    }

    func testBadEventsAreCountedNotFatalAndReplacedOnRerun() throws {
        let shop = try makeShop()
        try backfill(shop)
        try backfill(shop)
        XCTAssertEqual(try shop.rows("""
            SELECT day, source_id, reason FROM analytics.rejected_rows WHERE source = 'analytics_conversionevent' ORDER BY source_id
            """), ["2026-11-23|8|unknown_event_type", "2026-11-23|9|missing_session"])
    }

    /// Four months of events, read a month at a time two at once on two connections (each month with a margin day
    /// either side), give the figures of reading them one month after the other: every day in place, the sessions that
    /// cross midnight into the next month counted once, on their first day, and each rejected event once.
    func testAFunnelOfSeveralMonthsReadTwoMonthsAtOnceHasTheFiguresOfOneAtATime() throws {
        let shop = try TestShop()
        for u in 1...3 { try shop.user(u) }
        let months = ShopDayRange(ShopDay(iso: "2026-08-01")!, ShopDay(iso: "2026-11-24")!)  // 116 days: 4 chunks of 31 days or fewer
        try shop.order(1, user: 1, kigali: "2026-08-20 12:00", subtotal: 5000)
        try shop.order(2, user: 2, kigali: "2026-09-01 00:10", subtotal: 5000)
        // Every day: an anonymous session at 10:00; a session of customer (day mod 3) + 1 that views the menu at 23:50 and
        // completes its order at 00:10 the next day; every tenth day an event of an unknown type just after midnight.
        try shop.admin.execute("""
            INSERT INTO public.analytics_conversionevent (id, event_type, session_id, "timestamp", metadata, user_id)
            SELECT 10 * n + k, e.type, e.session, ((d + e.at)::timestamp AT TIME ZONE 'Africa/Kigali'), '{}', e.user_id
            FROM generate_series(date '2026-08-01', date '2026-11-24', interval '1 day') AS g(d),
                 LATERAL (SELECT (d::date - date '2026-08-01') AS n) AS i,
                 LATERAL (VALUES (1, 'view_menu', 'anon-' || n, interval '10 hours', NULL::int),
                                 (2, 'view_menu', 'user-' || n, interval '23 hours 50 minutes', (n % 3) + 1),
                                 (3, 'complete_order', 'user-' || n, interval '24 hours 10 minutes', (n % 3) + 1),
                                 (4, 'step_' || n, 'odd-' || n, interval '5 minutes', NULL::int)) AS e(k, type, session, at, user_id)
            WHERE e.k < 4 OR n % 10 = 0
            """)
        func figures() throws -> [String] {
            try shop.rows("""
                SELECT day, user_type, sessions, view_menu, add_to_cart, start_checkout, complete_order, skipped_steps
                FROM analytics.funnel_daily ORDER BY day, user_type
                """) + shop.rows("""
                SELECT day, orders_placed, complete_order_sessions, orders_without_event, sessions_without_order
                FROM analytics.funnel_gap ORDER BY day
                """) + shop.rows("SELECT day, source_id, reason FROM analytics.rejected_rows ORDER BY id")
        }
        _ = try shop.job { $0.stages = [FunnelStage(twoChunksAtOnce: false)] }.backfill(months)
        let oneAtATime = try figures()
        _ = try shop.job { $0.stages = [FunnelStage()] }.backfill(months)
        XCTAssertEqual(try figures(), oneAtATime)

        XCTAssertEqual(try shop.rows("SELECT count(*), sum(sessions), sum(view_menu), sum(complete_order) FROM analytics.funnel_daily WHERE user_type = 'all'"),
                       ["116|232|232|116"], "two sessions a day with a view_menu, one of them with a complete_order (the odd events make none)")
        XCTAssertEqual(try shop.rows("SELECT count(*), min(day), max(day) FROM analytics.rejected_rows WHERE reason = 'unknown_event_type'"),
                       ["12|2026-08-01|2026-11-19"], "one a tenth day, each once, in the run's rejected rows")
        XCTAssertEqual(try shop.rows("""
            SELECT day, user_type, sessions, complete_order FROM analytics.funnel_daily
            WHERE day IN ('2026-08-31', '2026-09-01') AND user_type <> 'all' AND sessions > 0 ORDER BY day, user_type
            """), ["2026-08-31|anonymous|1|0", "2026-08-31|returning|1|1", "2026-09-01|anonymous|1|0", "2026-09-01|new|1|1"],
            "the session of 31 August that completes on 1 September, across the chunks' border, counts once, on the 31st")
    }

    func testReportSectionsReadBack() throws {
        let shop = try makeShop()
        try backfill(shop)
        let campaigns = try CampaignStore(connection: shop.admin).report(for: ShopDayRange(ShopDay(iso: "2026-11-24")!, ShopDay(iso: "2026-11-24")!))
        XCTAssertEqual(campaigns.campaigns.map(\.name), ["VIP week", "Tiny budget", "Later draft"])
        XCTAssertEqual(campaigns.totalOrders, 2)
        XCTAssertEqual(campaigns.totalRevenue, Money(francs: 8_000))
        let vip = try XCTUnwrap(campaigns.campaigns.first?.figures)
        XCTAssertEqual(vip.roiText, "+20.0%")
        XCTAssertEqual(vip.roiBasisText, "coupon sales against the budget")
        XCTAssertEqual(vip.liftText, "+RWF 6,750 (+300.0%)")
        XCTAssertEqual(campaigns.details.map { $0.history.count }, [2, 1])
        let funnel = try FunnelStore(connection: shop.admin).report(for: ShopDayRange(ShopDay(iso: "2026-11-24")!, ShopDay(iso: "2026-11-24")!))
        XCTAssertEqual(funnel.window.first { $0.userType == .all }?.reached, [4, 2, 2, 2])
        XCTAssertEqual(funnel.gapWindow.ordersPlaced, 5)
        XCTAssertEqual(funnel.pages.map(\.page), ["menu"])
    }
}
