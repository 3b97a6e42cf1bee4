import Analytics
import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

extension TestShop {
    func staff(_ id: Int) throws {
        try admin.execute("""
            INSERT INTO public.auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            VALUES ($1, '!', false, $2, 'Staff', 'Member', '', true, true, '2026-01-01 00:00+00')
            """, [String(id), "staff\(id)"])
    }

    func vipTier(user: Int, tier: String, achieved: String) throws {
        try admin.execute("""
            INSERT INTO public.subscriptions_viptier (tier_level, spending_ytd, spending_total, promotion_percentage, access_level,
              achieved_at, next_tier_threshold, benefits_list, created_at, updated_at, user_id)
            VALUES ($1, 0, 0, 5, 2, $2::date, 0, '[]', now(), now(), $3)
            """, [tier, achieved, String(user)])
    }

    func orderPoints(user: Int, points: Int, type: String, kigali: String) throws {
        try admin.execute("""
            INSERT INTO public.loyalty_pointstransaction (points, transaction_type, reason, created_at, order_id, user_id)
            VALUES ($1, $2, '', ($3::timestamp AT TIME ZONE 'Africa/Kigali'), NULL, $4)
            """, [String(points), type, kigali, String(user)])
    }

    func subscriptionPoints(user: Int, points: Int, type: String, kigali: String) throws {
        try admin.execute("""
            INSERT INTO public.subscriptions_loyaltytransaction (transaction_type, points_amount, description, balance_before, balance_after,
              created_at, related_payment_id, related_subscription_id, user_id)
            VALUES ($1, $2, '', 0, 0, ($3::timestamp AT TIME ZONE 'Africa/Kigali'), NULL, NULL, $4)
            """, [type, String(points), kigali, String(user)])
    }

    func referral(_ id: Int, referrer: Int, referee: Int?, status: String, bonus: Int, createdKigali: String, completedKigali: String?) throws {
        try admin.execute("""
            INSERT INTO public.subscriptions_referralprogram (id, referral_code, referral_link, referrer_bonus_rwf, referrer_bonus_points,
              referee_discount_percent, status, completed_at, created_at, expires_at, referee_id, referrer_id)
            VALUES ($1, $2, '', $3, 0, 10, $4, ($5::timestamp AT TIME ZONE 'Africa/Kigali'),
              ($6::timestamp AT TIME ZONE 'Africa/Kigali'), ($6::timestamp AT TIME ZONE 'Africa/Kigali') + interval '30 days', $7, $8)
            """, [String(id), "R\(id)", String(bonus), status, completedKigali, createdKigali, referee.map(String.init), String(referrer)])
    }

    /// A column of `analytics.customer_metrics` for a user, as text.
    func customer(_ user: Int, _ column: String) throws -> String? {
        try admin.scalar("SELECT \(column)::text FROM analytics.customer_metrics WHERE user_id = $1", [String(user)])
    }

    func djangoCustomer(_ user: Int, _ column: String) throws -> String? {
        try admin.scalar("SELECT \(column)::text FROM public.analytics_customermetrics WHERE user_id = $1", [String(user)])
    }
}

/// The customer stage end to end on a small shop, as of 2026-11-23 (Kigali).
final class CustomerIntegrationTests: XCTestCase {
    let asOf = ShopDay(iso: "2026-11-23")!

    func arrange() throws -> TestShop {
        let shop = try TestShop()
        try shop.user(1, first: "Aline", last: "Uwase")
        try shop.user(2, first: "Eric", last: "Mugisha")
        try shop.user(3, first: "Grace", last: "Ineza")
        try shop.staff(9)
        // User 1: two sales on 09-01 (one purchase day), one on 10-15 with VIP and loyalty discounts, one on 11-20.
        try shop.order(1, user: 1, kigali: "2026-09-01 10:00", subtotal: 10500, coupon: 500)
        try shop.order(2, user: 1, kigali: "2026-09-01 18:00", subtotal: 5000)
        try shop.order(3, user: 1, kigali: "2026-10-15 12:00", subtotal: 23000, loyalty: 2000, vip: 1000)
        try shop.order(4, user: 1, kigali: "2026-11-20 23:30", subtotal: 15000)
        try shop.order(5, user: 1, kigali: "2026-11-24 00:30", subtotal: 9000)          // after the as-of day
        try shop.order(6, user: 1, kigali: "2026-11-21 12:00", status: "cancelled", payment: "failed", subtotal: 4000)
        // User 2: one sale of 600,000 on 11-10 (high value, new), referred by user 1.
        try shop.order(7, user: 2, kigali: "2026-11-10 12:00", subtotal: 600000)
        // User 3: last sale 08-15 (churn risk); a refunded order does not count; a bad row is left out.
        try shop.order(8, user: 3, kigali: "2026-07-01 12:00", subtotal: 8000)
        try shop.order(9, user: 3, kigali: "2026-08-15 12:00", subtotal: 12000)
        try shop.order(10, user: 3, kigali: "2026-11-01 12:00", payment: "refunded", subtotal: 50000)
        try shop.order(11, user: 3, kigali: "2026-11-02 12:00", subtotal: 5000, total: 4999)  // total mismatch
        try shop.order(12, user: 9, kigali: "2026-11-02 12:00", subtotal: 7000)              // staff
        try shop.vipTier(user: 1, tier: "gold", achieved: "2026-10-01")
        try shop.subscriptionOrder(4, user: 1)
        try shop.orderPoints(user: 1, points: 300, type: "earned", kigali: "2026-10-15 13:00")
        try shop.orderPoints(user: 1, points: -200, type: "redeemed", kigali: "2026-10-15 12:00")
        try shop.orderPoints(user: 1, points: 50, type: "expired", kigali: "2026-11-01 12:00")
        try shop.subscriptionPoints(user: 1, points: 500, type: "BONUS", kigali: "2026-11-20 12:00")
        try shop.subscriptionPoints(user: 1, points: 100, type: "EARN", kigali: "2026-11-24 12:00")  // after the as-of day
        try shop.referral(1, referrer: 1, referee: 2, status: "COMPLETED", bonus: 1500, createdKigali: "2026-11-05 12:00", completedKigali: "2026-11-09 12:00")
        try shop.referral(2, referrer: 1, referee: nil, status: "PENDING", bonus: 1000, createdKigali: "2026-11-06 12:00", completedKigali: nil)
        return shop
    }

    func testStageFillsTheAnalyticsTablesAndTheShopsTable() throws {
        let shop = try arrange()
        let job = try shop.job(djangoTables: true) { $0.stages = [CustomerStage()] }
        _ = try job.backfill(ShopDayRange(asOf, asOf))

        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.customer_metrics"), "3")  // staff excluded
        XCTAssertEqual(try shop.customer(1, "total_orders"), "4")
        XCTAssertEqual(try shop.customer(1, "total_spent"), "50000.00")
        XCTAssertEqual(try shop.customer(1, "average_order_value"), "12500.00")
        XCTAssertEqual(try shop.customer(1, "(first_order_date AT TIME ZONE 'Africa/Kigali')"), "2026-09-01 10:00:00")
        XCTAssertEqual(try shop.customer(1, "(last_order_date AT TIME ZONE 'Africa/Kigali')"), "2026-11-20 23:30:00")
        XCTAssertEqual(try shop.customer(1, "days_since_last_order"), "3")
        XCTAssertEqual(try shop.customer(1, "vip_tier_current"), "Gold")
        XCTAssertEqual(try shop.customer(1, "subscription_active"), "true")
        XCTAssertEqual(try shop.customer(1, "loyalty_points_earned"), "800")
        XCTAssertEqual(try shop.customer(1, "loyalty_points_redeemed"), "200")
        XCTAssertEqual(try shop.customer(1, "loyalty_value_redeemed"), "2000.00")
        XCTAssertEqual(try shop.customer(1, "referral_count"), "1")
        XCTAssertEqual(try shop.customer(1, "referral_earnings"), "1500.00")
        XCTAssertEqual(try shop.customer(1, "total_discounts_received"), "3500.00")
        XCTAssertEqual(try shop.customer(1, "vip_discounts_received"), "1000.00")
        XCTAssertEqual(try shop.customer(1, "(frequency || '/' || recency_days || '/' || age_days)"), "2/80/83")
        XCTAssertEqual(try shop.customer(2, "(is_high_value AND is_new)"), "true")
        XCTAssertEqual(try shop.customer(3, "total_orders"), "2")
        XCTAssertEqual(try shop.customer(3, "days_since_last_order"), "100")
        XCTAssertEqual(try shop.customer(3, "churn_risk"), "true")
        XCTAssertEqual(try shop.customer(3, "rfm_group"), "dormant")  // R 1, F 2, M 1 among three buyers

        XCTAssertEqual(try shop.admin.scalar("SELECT customers FROM analytics.customer_segments WHERE as_of = '2026-11-23' AND segment = 'churn_risk'"), "1")
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT string_agg(user_id || ':' || customer_name || ':' || coalesce(action, ''), ',' ORDER BY rank)
            FROM analytics.customer_lists WHERE list = 'at_risk'
            """), "3:Grace Ineza:re_engagement")
        XCTAssertEqual(try shop.admin.scalar("SELECT string_agg(user_id::text, ',' ORDER BY rank) FROM analytics.customer_lists WHERE list = 'top_lifetime_value'"),
                       "2,1,3")
        XCTAssertEqual(try shop.admin.scalar("""
            SELECT string_agg(to_char(cohort_month, 'YYYY-MM') || '+' || months_after || '=' || customers, ' ' ORDER BY cohort_month, months_after)
            FROM analytics.cohorts WHERE customers > 0
            """), "2026-07+0=1 2026-07+1=1 2026-09+0=1 2026-09+1=1 2026-09+2=1 2026-11+0=1")
        XCTAssertEqual(try shop.admin.scalar("SELECT share::text FROM analytics.program_summary WHERE figure = 'repeat_purchase_rate'"), "0.6667")
        XCTAssertEqual(try shop.admin.scalar("SELECT amount::text FROM analytics.program_summary WHERE figure = 'revenue_from_referred'"), "600000.00")
        XCTAssertEqual(try shop.admin.scalar("SELECT count::text FROM analytics.program_summary WHERE figure = 'sales_of_non_customers'"), "1")
        // Three customers with a sale: too few for the model; the fit row says so.
        XCTAssertEqual(try shop.admin.scalar("SELECT fitted::text || ':' || customers_used FROM analytics.churn_model_fit WHERE model = 'bg_nbd'"), "false:0")

        // The shop's own table.
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM public.analytics_customermetrics"), "3")
        XCTAssertEqual(try shop.djangoCustomer(1, "total_spent"), "50000.00")
        XCTAssertEqual(try shop.djangoCustomer(1, "average_order_value"), "12500.00")
        XCTAssertEqual(try shop.djangoCustomer(1, "vip_tier_current"), "Gold")
        XCTAssertEqual(try shop.djangoCustomer(2, "vip_tier_current"), "")
        XCTAssertEqual(try shop.djangoCustomer(3, "churn_risk"), "true")
        XCTAssertEqual(try shop.djangoCustomer(2, "days_since_last_order"), "13")
    }

    func testRerunUpsertsTheShopsTableAndReplacesTheRest() throws {
        let shop = try arrange()
        _ = try shop.job(djangoTables: true) { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        let id = try shop.admin.scalar("SELECT id FROM public.analytics_customermetrics WHERE user_id = 1")
        try shop.order(20, user: 1, kigali: "2026-11-23 09:00", subtotal: 1000)
        _ = try shop.job(djangoTables: true) { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(try shop.admin.scalar("SELECT id FROM public.analytics_customermetrics WHERE user_id = 1"), id)
        XCTAssertEqual(try shop.djangoCustomer(1, "total_orders"), "5")
        XCTAssertEqual(try shop.customer(1, "days_since_last_order"), "0")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.customer_segments WHERE as_of = '2026-11-23'"), "6")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.churn_model_fit"), "6")  // purchase, spend and check fits per run
    }

    func testAValueTooWideForTheShopsTableIsReportedNotFatal() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.user(2)
        // 102 sales of 99,000,000 = 10,098,000,000: more than numeric(12,2) holds (the shop's total_spent).
        for i in 1...102 { try shop.order(i, user: 1, kigali: "2026-11-20 12:00", subtotal: 99_000_000) }
        try shop.order(200, user: 2, kigali: "2026-11-20 12:00", subtotal: 1000)
        let summary = try shop.job(djangoTables: true) { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(summary.counts.rowsRejected, 1)
        XCTAssertEqual(summary.rejectedByReason, ["value_too_wide": 1], "the summary's breakdown adds up to the rejected count")
        XCTAssertEqual(try shop.admin.scalar("SELECT reason || ':' || source_id FROM analytics.rejected_rows WHERE source = 'analytics_customermetrics'"),
                       "value_too_wide:1")
        XCTAssertNil(try shop.djangoCustomer(1, "total_spent"))
        XCTAssertEqual(try shop.djangoCustomer(2, "total_spent"), "1000.00")
        XCTAssertEqual(try shop.customer(1, "total_spent"), "10098000000.00")  // the project's own table is wide enough
    }

    func testReportReaderReadsTheSectionBack() throws {
        let shop = try arrange()
        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        let report = try XCTUnwrap(try CustomerStore(connection: shop.admin).report(for: asOf))
        XCTAssertEqual(report.asOf, asOf)
        // A later day's report never passes these figures off as that day's (issue 8, past periods).
        XCTAssertNil(try CustomerStore(connection: shop.admin).report(for: asOf.advanced(by: 3)))
        XCTAssertEqual(report.top.map(\.name), ["Eric Mugisha", "Aline Uwase", "Grace Ineza"])
        XCTAssertEqual(report.atRisk.first?.action, "We-miss-you message with loyalty points")
        XCTAssertEqual(report.figure("customers", "customers")?.count, 3)
        XCTAssertEqual(report.cohorts.map(\.size), [1, 1, 1])
        XCTAssertEqual(report.fits.map(\.model), ["bg_nbd", "bg_nbd_check", "gamma_gamma"])
        XCTAssertNil(try CustomerStore(connection: shop.admin).report(for: asOf.advanced(by: -1)))
    }

    /// As of 30 November (the check fits on the sales up to 31 October): customers 1-6 bought on 1 and 15 September,
    /// 1 and 15 October, then 1-3 on 5 and 20 November; 7-10 once on 1 August, then 7 on 10 November; 11 and 12 on
    /// 20 and 25 October, then 11 twice on 2 November; 13 first bought on 10 November.
    func testModelCheckIsStoredAndReadBack() throws {
        let shop = try checkShop()
        let day = ShopDay(iso: "2026-11-30")!
        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(day, day))
        XCTAssertEqual(try shop.rows("""
            SELECT fitted_to, kind, position, label, customers, predicted IS NOT NULL, actual FROM analytics.model_check
            WHERE as_of = '2026-11-30' AND NOT (kind = 'at_risk' AND position = 2) ORDER BY kind DESC, position
            """), [
            "2026-10-31|purchases|0|All customers|12|t|8",
            "2026-10-31|purchases|1|Bought on 1 day|4|t|1",
            "2026-10-31|purchases|2|Bought on 2 days|2|t|1",
            "2026-10-31|purchases|3|Bought on 3–4 days|6|t|6",
            "2026-10-31|at_risk|0|All customers|12|f|7",
            "2026-10-31|at_risk|1|No sale for 60 days or more|4|f|3",
        ])
        XCTAssertEqual(try shop.rows("SELECT model, fitted, customers_used, note FROM analytics.churn_model_fit WHERE model = 'bg_nbd_check'"),
                       ["bg_nbd_check|t|12|fitted on the sales up to 2026-10-31 to check the 30 days after"])
        // Three silent customers among thirteen: the fit puts their silence down to slow buying, not to leaving.
        XCTAssertEqual(try shop.admin.scalar("SELECT dropout_found::text FROM analytics.churn_model_fit WHERE model = 'bg_nbd'"), "false")
        let report = try XCTUnwrap(try CustomerStore(connection: shop.admin).report(for: day))
        XCTAssertEqual(report.checkFittedTo?.iso, "2026-10-31")
        XCTAssertEqual(report.checkPurchases.map(\.actual), [8, 1, 1, 6])
        XCTAssertEqual(report.checkAtRisk.prefix(2).map(\.customers), [12, 4])
        XCTAssertFalse(report.modelFoundDropout)
        XCTAssertEqual(report.noDropoutSentence?.hasPrefix("The purchase model found no clear sign that customers stop buying"), true)
        // The at-risk list (customers 8-10, silent since 1 August) carries no chance still active.
        XCTAssertEqual(report.atRisk.map(\.userId), [8, 9, 10])
        XCTAssertEqual(report.atRisk.map(\.probabilityAlive), [nil, nil, nil])
    }

    /// The shop of `testModelCheckIsStoredAndReadBack`.
    func checkShop() throws -> TestShop {
        let shop = try TestShop()
        var id = 0
        func buy(_ user: Int, _ days: [String]) throws {
            for d in days { id += 1; try shop.order(id, user: user, kigali: "2026-\(d) 12:00", subtotal: 5000) }
        }
        for u in 1...13 { try shop.user(u) }
        for u in 1...6 { try buy(u, ["09-01", "09-15", "10-01", "10-15"] + (u <= 3 ? ["11-05", "11-20"] : [])) }
        for u in 7...10 { try buy(u, ["08-01"] + (u == 7 ? ["11-10"] : [])) }
        try buy(11, ["10-20", "10-25", "11-02", "11-02"])
        try buy(12, ["10-20", "10-25"])
        try buy(13, ["11-10"])
        return shop
    }

    /// A nightly run that keeps the customers' summed sales runs the check as a backfill does: as of 30 November it
    /// fits to 31 October (the backfill's, as of 29 November, to 30 October); the same purchases follow.
    func testANightlyRunThatKeepsSalesRunsTheCheck() throws {
        let shop = try checkShop()
        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(ShopDay(iso: "2026-11-01")!, ShopDay(iso: "2026-11-29")!))
        let nightly = try shop.job { $0.stages = [CustomerStage()] }.nightly(date: ShopDay(iso: "2026-11-30")!)
        XCTAssertEqual(try shop.rows("SELECT count(*) FROM analytics.customer_sales_state WHERE run_id = \(nightly.runId)"), ["0"],
                       "every user's sales were kept")
        XCTAssertEqual(try shop.rows("SELECT DISTINCT as_of || ' ' || fitted_to FROM analytics.model_check ORDER BY 1"),
                       ["2026-11-29 2026-10-30", "2026-11-30 2026-10-31"])
        XCTAssertEqual(try shop.rows("SELECT as_of, fitted, note FROM analytics.churn_model_fit WHERE model = 'bg_nbd_check' ORDER BY as_of"), [
            "2026-11-29|t|fitted on the sales up to 2026-10-30 to check the 30 days after",
            "2026-11-30|t|fitted on the sales up to 2026-10-31 to check the 30 days after",
        ])
        let report = try XCTUnwrap(try CustomerStore(connection: shop.admin).report(for: ShopDay(iso: "2026-11-30")!))
        XCTAssertEqual(report.asOf.iso, "2026-11-30")
        XCTAssertEqual(report.checkFittedTo?.iso, "2026-10-31")
        XCTAssertEqual(report.checkPurchases.map(\.customers), [12, 4, 2, 6])
        XCTAssertEqual(report.checkPurchases.map(\.actual), [8, 1, 1, 6])
    }
}
