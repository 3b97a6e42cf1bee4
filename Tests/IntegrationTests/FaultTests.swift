import Extract
import Foundation
import Pipeline
import Postgres
import Shop
import TestSupport
import Warehouse
import XCTest

/// Hostile rows and faults (issue 10): each is set aside or explained in one sentence, never fatal or silent.
final class FaultTests: XCTestCase {
    let asOf = ShopDay(iso: "2026-11-23")!

    func rows(_ shop: TestShop, _ sql: String) throws -> [String] {
        try shop.admin.execute(sql).rows.map { $0.map { $0 ?? "NULL" }.joined(separator: "|") }
    }

    func testCustomersWithInfiniteJoinDatesAreKeptWithTheirSales() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.user(2, first: "Eric", last: "Mugisha")
        try shop.user(3, first: "Grace", last: "Ineza")
        try shop.admin.execute("UPDATE public.auth_user SET date_joined = '-infinity' WHERE id = 2")
        try shop.admin.execute("UPDATE public.auth_user SET date_joined = 'infinity' WHERE id = 3")
        try shop.order(1, user: 1, kigali: "2026-11-20 12:00", subtotal: 1000)
        try shop.order(2, user: 2, kigali: "2026-11-20 12:00", subtotal: 2000)
        try shop.order(3, user: 2, kigali: "2026-11-22 12:00", subtotal: 3000)
        let summary = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(summary.rejectedByReason, ["out_of_range": 2])
        XCTAssertEqual(try rows(shop, "SELECT user_id, total_orders, total_spent, days_since_last_order FROM analytics.customer_metrics ORDER BY user_id"),
                       ["1|1|1000.00|3", "2|2|5000.00|1", "3|0|0.00|0"], "nobody vanishes; 2's sales are his")
        XCTAssertEqual(try rows(shop, "SELECT count FROM analytics.program_summary WHERE program = 'customers' AND figure = 'sales_of_non_customers'"), ["0"])
        XCTAssertEqual(try rows(shop, "SELECT source, source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source_id"), [
            "auth_user|2|2026-11-23|out_of_range|date_joined is -infinity; the customer is kept with an unknown join date",
            "auth_user|3|2026-11-23|out_of_range|date_joined is infinity; the customer is kept with an unknown join date",
        ])
    }

    /// The orders come as a binary COPY: a hostile order is set aside for the same reason, and keeps the row a text
    /// COPY of the same query gives (tabs and backslashes as they are, NaN, infinity, a year past 9999), field by field.
    func testHostileOrdersKeepTheirRowAsATextCopyGivesIt() throws {
        let shop = try TestShop()
        try shop.user(1)
        for id in 1...9 { try shop.order(id, user: 1, kigali: "2026-11-22 1\(id):00", subtotal: 1000 + id) }
        try shop.admin.execute("ALTER TABLE public.orders_order DROP CONSTRAINT orders_order_user_id_e9b59eb1_fk_auth_user_id")
        for change in [
            "total = 'NaN'", "subtotal = -5.5, total = -5.5", "status = E'deli\\tvered\\\\x'", "payment_method = 'bitcoin'",
            "delivered_at = 'infinity'", "updated_at = '12026-01-01 00:00:00.5+00'", "coupon_code = E'TAB\\tBACK\\\\'",
            "discount_amount = 99999999.99", "user_id = 77",
        ].enumerated() {
            try shop.admin.execute("UPDATE public.orders_order SET \(change.element) WHERE id = \(change.offset + 1)")
        }
        let (start, end) = TestShop.kigali.bounds(of: ShopDayRange(ShopDay(iso: "2026-11-22")!, ShopDay(iso: "2026-11-22")!))
        let query = try TestShop.sql.query("source/orders.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        var text: [String: String] = [:]
        try shop.connect().copyOut("COPY (\(query)) TO STDOUT") { row in
            text[row.string(0) ?? ""] = (0..<row.count).map { row.string($0) ?? "\\N" }.joined(separator: "\t")
        }
        let src = ShopSource(connection: try shop.reader(), sql: TestShop.sql, calendar: TestShop.kigali)
        try src.begin()
        defer { src.finish() }
        var kept: [Int64] = [], setAside: [String] = []
        try src.orders(from: start, to: end, menu: try src.menu().items) { result in
            switch result {
            case .success(let o): kept.append(o.id)
            case .failure(let r):
                setAside.append("\(r.sourceId ?? "-") \(r.rejection.reason.rawValue)")
                XCTAssertEqual(r.raw, text[r.sourceId ?? ""], "order \(r.sourceId ?? "-")")
            }
        }
        XCTAssertEqual(setAside, ["1 unreadable_value", "2 negative_amount", "3 unknown_status", "4 unknown_payment_method",
                                  "8 total_mismatch", "9 missing_user"])
        XCTAssertEqual(kept, [5, 6, 7])
        XCTAssertTrue(text["3"]?.contains("deli\tvered\\x") ?? false)
        XCTAssertTrue(text["6"]?.contains("12026-01-01 00:00:00.5+00") ?? false)
    }

    func testALoyaltyRowOfMinusTwoToThe31IsSetAsideNotFatal() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-20 12:00", subtotal: 1000)
        for (points, type) in [(150, "earned"), (-2_147_483_648, "redeemed"), (-40, "redeemed"), (1_000_001, "bonus")] {
            try shop.admin.execute("""
                INSERT INTO public.loyalty_pointstransaction (points, transaction_type, reason, created_at, user_id)
                VALUES ($1, $2, '', '2026-11-20 10:00+00', 1)
                """, [String(points), type])
        }
        let summary = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(summary.rejectedByReason, ["out_of_range": 2])
        XCTAssertEqual(try rows(shop, "SELECT loyalty_points_earned, loyalty_points_redeemed FROM analytics.customer_metrics WHERE user_id = 1"), ["150|40"])
        XCTAssertEqual(try rows(shop, "SELECT source, day, reason, detail FROM analytics.rejected_rows ORDER BY source_id::bigint"), [
            "loyalty_pointstransaction|2026-11-23|out_of_range|-2147483648 points in one transaction is beyond ±1000000; left out of user 1's points",
            "loyalty_pointstransaction|2026-11-23|out_of_range|1000001 points in one transaction is beyond ±1000000; left out of user 1's points",
        ])
    }

    func testSalesBeforeTheShopsDatesAreRejectedAndTheReportIsWritten() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(2, user: 1, kigali: "2026-11-20 12:00", subtotal: 700)
        try shop.order(3, user: 1, kigali: "2026-11-20 12:00", subtotal: 800)
        try shop.order(4, user: 1, kigali: "2026-11-20 12:00", subtotal: 900)
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '1850-05-01 10:00+00' WHERE id = 2")
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '0202-05-01 10:00+00' WHERE id = 3")
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '0044-03-15 12:00+00 BC' WHERE id = 4")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["run", "--date", "2026-11-23", "--out", out],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("3 rejected (3 out_of_range)"), r.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/daily-2026-11-23.xlsx"))
        XCTAssertEqual(try rows(shop, "SELECT source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source_id"), [
            "2|2026-11-23|out_of_range|created_at is in the year 1850, before 2000-01-01, the first of the shop's dates; reported as of 2026-11-23 because its own day is outside the shop's dates",
            "3|2026-11-23|out_of_range|created_at is in the year 202, before 2000-01-01, the first of the shop's dates; reported as of 2026-11-23 because its own day is outside the shop's dates",
            "4|2026-11-23|out_of_range|created_at is in the year 44 BC, before 2000-01-01, the first of the shop's dates; reported as of 2026-11-23 because its own day is outside the shop's dates",
        ])
        XCTAssertEqual(try rows(shop, "SELECT total_orders, first_order_date::date FROM analytics.customer_metrics WHERE user_id = 1"), ["1|2026-11-23"])
    }

    /// Sales dated after the shop's dates (the year 2999, infinity) and refunds whose time is outside them are reached
    /// by no day's extract: they are reported once per job, on its last day, and a rerun replaces them, never doubles.
    func testSalesAndRefundsOutsideTheShopsDatesAreRejected() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(2, user: 1, kigali: "2026-11-20 12:00", subtotal: 700)
        try shop.order(3, user: 1, kigali: "2026-11-20 12:00", subtotal: 800)
        for (id, subtotal) in [(4, 900), (5, 600), (6, 400)] {
            try shop.order(id, user: 1, kigali: "2026-11-21 12:00", payment: "refunded", subtotal: subtotal)
        }
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '2999-01-01 10:00+00', updated_at = '2999-01-01 10:00+00' WHERE id = 2")
        try shop.admin.execute("UPDATE public.orders_order SET created_at = 'infinity', updated_at = 'infinity' WHERE id = 3")
        try shop.admin.execute("UPDATE public.orders_order SET updated_at = 'infinity' WHERE id = 4")
        try shop.admin.execute("UPDATE public.orders_order SET updated_at = '2999-06-01 00:00+00' WHERE id = 5")
        try shop.admin.execute("UPDATE public.orders_order SET updated_at = '1850-06-01 00:00+00' WHERE id = 6")
        try shop.completedRefund(orderId: 1, amount: 250, completedKigali: "2150-01-01 09:00")
        let request = try XCTUnwrap(shop.admin.scalar("SELECT max(id) FROM public.payments_refundrequest"))
        let outside = "; reported as of 2026-11-23 because its own day is outside the shop's dates"
        let expected = [
            "2|2026-11-23|future_created_at|created_at is after the time of the extract" + outside,
            "3|2026-11-23|unreadable_value|created_at is empty or unreadable" + outside,
            "4|2026-11-23|unreadable_value|refund row has an unreadable kind, id, amount or time" + outside + " (2000-01-01 to 2099-12-31)",
            "5|2026-11-23|out_of_range|refund of 600.00 dated 2999-06-01 00:00:00.000000+00" + outside + " (2000-01-01 to 2099-12-31)",
            "6|2026-11-23|out_of_range|refund of 400.00 dated 1850-06-01 00:00:00.000000+00" + outside + " (2000-01-01 to 2099-12-31)",
            "\(request)|2026-11-23|out_of_range|refund of 250.00 dated 2150-01-01 07:00:00.000000+00" + outside + " (2000-01-01 to 2099-12-31)",
        ]
        let summary = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(ShopDay(iso: "2026-11-20")!, asOf))
        XCTAssertEqual(summary.rejectedByReason.values.reduce(0, +), 6)
        XCTAssertEqual(try rows(shop, "SELECT source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source, source_id::bigint"), expected)
        _ = try shop.job { $0.stages = [CustomerStage()] }.nightly(date: asOf)
        XCTAssertEqual(try rows(shop, "SELECT source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source, source_id::bigint"), expected,
                       "the nightly run reports them again in place of the backfill's, never twice")
        XCTAssertEqual(try rows(shop, "SELECT total_orders, total_spent FROM analytics.customer_metrics WHERE user_id = 1"), ["1|5000.00"])
        XCTAssertEqual(try rows(shop, "SELECT sum(refunded_orders) FROM analytics.daily_snapshot"), ["0"])
    }

    /// The shop's first date begins at midnight in Kigali, two hours before midnight UTC: an order in those two hours
    /// is a sale of 2000-01-01, and one a second earlier is out of range (dated the year 1999 on the shop's clock).
    func testTheShopsFirstDateBeginsAtMidnightInItsOwnTimeZone() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2000-01-01 00:00:01", subtotal: 700)
        try shop.order(2, user: 1, kigali: "2000-01-01 01:30", subtotal: 800)
        try shop.order(3, user: 1, kigali: "1999-12-31 23:59:59", subtotal: 900)
        try shop.admin.execute("UPDATE public.auth_user SET date_joined = '1999-06-01 00:00+00' WHERE id = 1")
        let first = ShopDay(iso: "2000-01-01")!
        let summary = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(first, first))
        XCTAssertEqual(summary.snapshots.first?.totalOrders, 2)
        XCTAssertEqual(try rows(shop, "SELECT source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source_id::bigint"), [
            "3|2000-01-01|out_of_range|created_at is in the year 1999, before 2000-01-01, the first of the shop's dates; reported as of 2000-01-01 because its own day is outside the shop's dates",
        ])
        XCTAssertEqual(try rows(shop, "SELECT total_orders, first_order_date FROM analytics.customer_metrics"), ["2|1999-12-31 22:00:01+00"])
    }

    /// A referral completed at `infinity` is not completed, and one created at `-infinity` is no referral to count:
    /// both are set aside and reported, never counted nor dropped without a word.
    func testAReferralWhoseTimesAreNoRealTimesIsSetAside() throws {
        let shop = try TestShop()
        try shop.user(1); try shop.user(2)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.referral(1, referrer: 1, referee: 2, status: "COMPLETED", bonus: 1500, createdKigali: "2026-11-05 12:00", completedKigali: "2026-11-09 12:00")
        try shop.referral(2, referrer: 1, referee: nil, status: "COMPLETED", bonus: 777, createdKigali: "2026-10-01 12:00", completedKigali: nil)
        try shop.referral(3, referrer: 1, referee: nil, status: "COMPLETED", bonus: 500, createdKigali: "2026-10-02 12:00", completedKigali: nil)
        try shop.admin.execute("UPDATE public.subscriptions_referralprogram SET completed_at = 'infinity' WHERE id = 2")
        try shop.admin.execute("UPDATE public.subscriptions_referralprogram SET created_at = '-infinity' WHERE id = 3")
        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(try rows(shop, "SELECT referral_count, referral_earnings FROM analytics.customer_metrics WHERE user_id = 1"), ["1|1500.00"])
        XCTAssertEqual(try rows(shop, "SELECT source, source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source_id::bigint"), [
            "subscriptions_referralprogram|2|2026-11-23|unreadable_value|completed_at 'infinity' is not a time; the referral is left out of the referral figures",
            "subscriptions_referralprogram|3|2026-11-23|unreadable_value|created_at '-infinity' is not a time; the referral is left out of the referral figures",
        ])
    }

    /// A VIP tier the shop does not use is never guessed at: the customer is kept without a tier, and the tier reported.
    func testAnUnknownVIPTierIsReportedAndTheCustomerKept() throws {
        let shop = try TestShop()
        try shop.user(1); try shop.user(2)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        for (user, level) in [(1, "diamond"), (2, "Gold")] {
            try shop.admin.execute("""
                INSERT INTO public.subscriptions_viptier (tier_level, spending_ytd, spending_total, promotion_percentage, access_level,
                  achieved_at, next_tier_threshold, benefits_list, created_at, updated_at, user_id)
                VALUES ($2, 0, 0, 10, 1, '2026-01-01', 0, '[]', now(), now(), $1)
                """, [String(user), level])
        }
        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(ShopDayRange(asOf, asOf))
        XCTAssertEqual(try rows(shop, "SELECT user_id, vip_tier_current, is_vip FROM analytics.customer_metrics ORDER BY user_id"),
                       ["1|NULL|f", "2|Gold|t"])
        XCTAssertEqual(try rows(shop, "SELECT source, day, reason, detail FROM analytics.rejected_rows"), [
            "subscriptions_viptier|2026-11-23|unknown_vip_tier|tier_level 'diamond' of user 1 is not one of bronze, silver, gold, platinum; the customer is kept without a tier",
        ])
    }

    /// A day's revenue beyond its warehouse column (over RWF 1,000,000,000,000: 11,000 orders of the shop's largest
    /// amount) fails the run in one sentence that says what to look for, and loads nothing.
    func testAFigureBeyondItsColumnFailsInPlainWordsAndLoadsNothing() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 99_999_999)
        try shop.admin.execute("""
            INSERT INTO public.orders_order (id, order_number, status, customer_name, customer_phone, delivery_instructions, subtotal,
              delivery_charge, total, created_at, updated_at, delivered_at, user_id, coupon_code, discount_amount, loyalty_discount_amount,
              loyalty_points_redeemed, referral_discount_amount, vip_discount_amount, corporate_discount_amount, account_number,
              payment_method, payment_notes, payment_status, phone_number, transaction_id, special_requests)
            SELECT 1 + g, order_number || '-' || g, status, customer_name, customer_phone, delivery_instructions, subtotal,
              delivery_charge, total, created_at, updated_at, delivered_at, user_id, coupon_code, discount_amount, loyalty_discount_amount,
              loyalty_points_redeemed, referral_discount_amount, vip_discount_amount, corporate_discount_amount, account_number,
              payment_method, payment_notes, payment_status, phone_number, transaction_id, special_requests
            FROM public.orders_order, generate_series(1, 11000) g WHERE id = 1
            """)
        let r = try CLI.run(["run", "--date", "2026-11-23", "--areas", "none", "--no-report"],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertTrue(r.err.contains("error: A figure is too large for its column in the warehouse (PostgreSQL said: numeric field overflow"), r.err)
        XCTAssertTrue(r.err.contains("nothing of this run was loaded"), r.err)
        XCTAssertEqual(try rows(shop, "SELECT count(*) FROM analytics.daily_snapshot"), ["0"])
    }

    func testAnEditedOrderOf1850DoesNotAddThatDayToTheNightlyRun() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-22 12:00", subtotal: 5000)
        try shop.order(2, user: 1, kigali: "2026-11-20 12:00", subtotal: 700)
        try shop.admin.execute("UPDATE public.orders_order SET created_at = '1850-05-01 10:00+00', updated_at = '2026-11-20 10:00+00' WHERE id = 2")
        _ = try shop.job().nightly(date: ShopDay(iso: "2026-11-22")!)
        try shop.admin.execute("UPDATE public.orders_order SET updated_at = now() WHERE id = 2")
        let summary = try shop.job().nightly(date: asOf)
        XCTAssertEqual(summary.days.map(\.description), ["2026-11-23"], "not 1850-05-01 as well")
        XCTAssertEqual(try rows(shop, "SELECT count(*) FROM analytics.daily_snapshot WHERE day < '2000-01-01'"), ["0"])
    }

    func testFirstSaleSkipsOrdersTheDailyExtractRejects() throws {
        let shop = try TestShop()
        try shop.user(142)
        try shop.user(143)
        try shop.user(144)
        // 142: a delivered order of 09-01 whose total does not add up (rejected), then a real sale on 09-05.
        try shop.order(1, user: 142, kigali: "2026-09-01 12:00", subtotal: 5000, total: 4000)
        try shop.order(2, user: 142, kigali: "2026-09-05 12:00", subtotal: 5000)
        // 143: only an order with an unknown payment method; 144: only a negative amount.
        try shop.order(3, user: 143, kigali: "2026-09-02 12:00", method: "bitcoin", subtotal: 5000)
        try shop.order(4, user: 144, kigali: "2026-09-02 12:00", subtotal: 5000, delivery: -100)
        let src = ShopSource(connection: try shop.reader(), sql: TestShop.sql, calendar: TestShop.kigali)
        try src.begin()
        defer { src.finish() }
        var facts: [Int64: CustomerFacts] = [:]
        try src.customerFacts(before: TestShop.kigali.startMicros(of: asOf)) { facts[$0] = $1 }
        XCTAssertEqual(facts[142]?.firstSaleAt, 1_788_602_400_000_000, "2026-09-05 10:00 UTC = 12:00 Kigali")
        XCTAssertNil(facts[143]?.firstSaleAt)
        XCTAssertNil(facts[144]?.firstSaleAt)
    }

    func testALostServerIsOneSentenceWithAdvice() throws {
        let shop = try TestShop()
        let conn = try shop.connect()
        let pid = try XCTUnwrap(try conn.scalar("SELECT pg_backend_pid()"))
        var seen = 0
        XCTAssertThrowsError(try conn.copyOut("COPY (SELECT g FROM generate_series(1, 5000000) g) TO STDOUT") { _ in
            seen += 1
            if seen == 1 { _ = try shop.admin.execute("SELECT pg_terminate_backend($1::int)", [pid]) }
        }) { error in
            guard case .connectionLost? = error as? PostgresError else { return XCTFail("\(error)") }
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("The connection to PostgreSQL at postgres@"), text)
            XCTAssertTrue(text.hasSuffix("check that the server is running and reachable, then run the command again (a job cut off this way loads nothing)."), text)
            XCTAssertFalse(text.contains(".."), text)
            XCTAssertFalse(text.contains("\n"), text)
        }
        XCTAssertThrowsError(try conn.execute("SELECT 1")) { error in
            guard case .connectionLost? = error as? PostgresError else { return XCTFail("\(error)") }
        }
    }

    /// A warehouse that takes no writes (default_transaction_read_only on its database or role) is a setting to fix:
    /// exit 78 and a sentence naming the setting, the previous figures kept.
    func testAReadOnlyWarehouseIsExit78InOneSentenceAndKeepsThePreviousFigures() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let args = ["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--areas", "none", "--no-report", "--quiet"]
        XCTAssertEqual(try CLI.run(args, env: env).status, 0)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)
        _ = try shop.admin.execute("ALTER DATABASE \(shop.name) SET default_transaction_read_only = on")
        defer { _ = try? shop.admin.execute("ALTER DATABASE \(shop.name) RESET default_transaction_read_only") }
        let r = try CLI.run(args, env: env)
        XCTAssertEqual(r.status, 78, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: The database accepts no writes from this role (PostgreSQL said: cannot execute "), r.err)
        XCTAssertTrue(r.err.contains("default_transaction_read_only is on for the role or the database"), r.err)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
    }

    /// A statement stopped by statement_timeout, by pg_cancel_backend, or a lock waited for past lock_timeout: each
    /// says which limit and what to do, not the server's words alone.
    func testTimeoutsAndCancelsSayWhichLimitAndWhatToDo() throws {
        let shop = try TestShop()
        let conn = try shop.connect()
        _ = try conn.execute("SET statement_timeout = 50")
        XCTAssertThrowsError(try conn.execute("SELECT pg_sleep(5)")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("The server stopped a statement that ran longer than its statement_timeout (PostgreSQL said: canceling statement due to statement timeout (SQLSTATE 57014)); "), text)
            XCTAssertTrue(text.contains("ALTER ROLE ... SET statement_timeout = 0"), text)
        }
        _ = try conn.execute("RESET statement_timeout")
        let pid = try XCTUnwrap(try conn.scalar("SELECT pg_backend_pid()"))
        let url = shop.url
        let canceller = Thread { Thread.sleep(forTimeInterval: 0.3); _ = try? Connection(url).execute("SELECT pg_cancel_backend($1::int)", [pid]) }
        canceller.start()
        XCTAssertThrowsError(try conn.execute("SELECT pg_sleep(5)")) { error in
            XCTAssertTrue("\(error)".hasPrefix("The job's statement was cancelled on the server (PostgreSQL said: canceling statement due to user request (SQLSTATE 57014)), by pg_cancel_backend or an administrator; "), "\(error)")
        }
        let holder = try shop.connect()
        _ = try holder.execute("SELECT pg_advisory_lock(77)")
        _ = try conn.execute("SET lock_timeout = 50")
        XCTAssertThrowsError(try conn.execute("SELECT pg_advisory_lock(77)")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("The job waited for a lock longer than the server's lock_timeout (PostgreSQL said: canceling statement due to lock timeout (SQLSTATE 55P03)): "), text)
            XCTAssertTrue(text.contains("ALTER ROLE ... SET lock_timeout = 0"), text)
        }
    }

    /// A session ended by idle_in_transaction_session_timeout is not a server to check: the sentence names the limit,
    /// without libpq's guess that the server terminated abnormally.
    func testAnIdleTimeoutSaysWhichLimitEndedTheSession() throws {
        let shop = try TestShop()
        let conn = try shop.connect()
        _ = try conn.execute("SET idle_in_transaction_session_timeout = 100")
        _ = try conn.execute("BEGIN")
        Thread.sleep(forTimeInterval: 0.5)
        var lost: PostgresError?
        XCTAssertThrowsError(try conn.execute("SELECT 1")) { lost = $0 as? PostgresError }
        guard case .connectionLost(_, let reason)? = lost else { return XCTFail("\(String(describing: lost))") }
        XCTAssertTrue(reason.contains("idle-in-transaction timeout"), reason)
        let text = lost!.description
        for words in ["ended the job's session because it sat idle longer than its idle_in_transaction_session_timeout allows",
                      "ALTER ROLE ... SET idle_in_transaction_session_timeout = 0"] {
            XCTAssertTrue(text.contains(words), text)
        }
        XCTAssertFalse(text.contains("terminated abnormally") || text.contains("check that the server is running"), text)
    }

    func testAServerLostMidLoadIsExit69InOneSentenceAndLoadsNothing() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report", "--quiet"], env: env).status, 0)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)
        let r = try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report", "--quiet"],
                            env: env.merging(["DUSANGIRE_FAULT": "lose-warehouse-after-delete"]) { $1 })
        XCTAssertEqual(r.status, 69, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: The connection to PostgreSQL at "), r.err)
        XCTAssertTrue(r.err.hasSuffix("; check that the server is running and reachable, then run the command again (a job cut off this way loads nothing).\n"), r.err)
        XCTAssertFalse(r.err.contains(".."), r.err)
        XCTAssertFalse(r.err.contains("FATAL"), "libpq's own notice line is not printed: \(r.err)")
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00", "the cut-off load was rolled back")
    }

    /// A role whose connection limit leaves no room for the run's third connection to the shop: the run reads the rest
    /// after the orders, on the first, and says so; the same figures. With room for one connection only: one sentence
    /// saying how many a run needs, exit 69, nothing loaded.
    func testAShopRoleWithFewConnectionsRunsSlowerOrSaysHowManyARunNeeds() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.completedRefund(orderId: 1, amount: 1000, completedKigali: "2026-11-23 15:00")
        func run(limit: Int, quiet: Bool) throws -> CLI.Result {
            let role = "dusangire_\(limit)_connections"
            try shop.admin.execute("""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(role)') THEN
                    CREATE ROLE \(role) LOGIN CONNECTION LIMIT \(limit) IN ROLE \(TestShop.readerRole);
                  END IF;
                END $$
                """)
            let env = ["DUSANGIRE_SOURCE_URL": "dbname=\(shop.name) user=\(role)", "DUSANGIRE_WAREHOUSE_URL": shop.url]
            return try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"] + (quiet ? ["--quiet"] : []), env: env)
        }
        let one = try run(limit: 1, quiet: true)
        XCTAssertEqual(one.status, 69, one.err)
        XCTAssertTrue(one.err.hasPrefix("error: Could not connect to PostgreSQL at dusangire_1_connections@"), one.err)
        XCTAssertTrue(one.err.hasSuffix("a run needs up to three connections to the shop and two to the warehouse: raise the role's connection limit or the server's max_connections, or wait for other sessions to end.\n"), one.err)
        XCTAssertEqual(one.err.split(separator: "\n").count, 1, one.err)
        XCTAssertNil(try shop.snapshot("2026-11-23", "total_revenue"), "nothing loaded")

        let two = try run(limit: 2, quiet: false)
        XCTAssertEqual(two.status, 0, two.err)
        XCTAssertTrue((two.out + two.err).contains("takes no further connection"), two.out + two.err)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "refund_amount"), "1000.00", "the refunds read after the orders")
    }

    /// Runs a backfill of `range` (`asOf` alone by default) while another session holds `tables` locked, calling
    /// `meanwhile` once it started; the lock is released after the run ended or after 60 s. Returns whether the run
    /// ended while the lock was held and the run's error.
    func backfillWhileLocked(_ shop: TestShop, _ tables: String, job: Job, range: ShopDayRange? = nil,
                             meanwhile: () throws -> Void = {}) throws -> (endedWhileLocked: Bool, error: (any Error)?) {
        let locker = try Connection(shop.url)
        try locker.execute("BEGIN")
        try locker.execute("LOCK TABLE \(tables) IN ACCESS EXCLUSIVE MODE")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        let (job, range) = (Handoff(job), range ?? ShopDayRange(asOf, asOf))
        Thread.detachNewThread {
            do { _ = try job.value.backfill(range) } catch { failure = error }
            done.signal()
        }
        try meanwhile()
        let ended = done.wait(timeout: .now() + 60) == .success
        try locker.execute("ROLLBACK")
        if !ended { done.wait() }
        return (ended, failure)
    }

    /// When the reads beside the orders' stream fail (a lost connection, say), the stream is cancelled rather than
    /// read to its end, and the run fails with the error of the reads beside. Here another session holds the order
    /// lines locked, so without the cancel the stream would wait for as long as the lock is held.
    func testAFailedReadBesideTheOrdersStopsTheirStreamAtOnce() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        struct LostBeside: Error {}
        let run = try backfillWhileLocked(shop, "public.orders_orderitem", job: try shop.job { o in o.besideOrders = { throw LostBeside() } })
        XCTAssertTrue(run.endedWhileLocked, "the run waited for the locked order lines after the reads beside them had failed")
        XCTAssertTrue(run.error is LostBeside, "the run's error is the reads beside the orders': \(String(describing: run.error))")
        XCTAssertNil(try shop.snapshot("2026-11-23", "total_revenue"), "nothing loaded")
    }

    /// The other way round: when the orders' stream loses its connection (its session ended, as a restart would),
    /// the reads beside it are cancelled, here while they wait for the refunds another session holds locked, and the
    /// run fails with the lost connection, not with the cancelled reads.
    func testALostOrdersStreamStopsTheReadsBesideItAtOnce() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.completedRefund(orderId: 1, amount: 1000, completedKigali: "2026-11-23 15:00")
        let run = try backfillWhileLocked(shop, "public.orders_orderitem, public.payments_refundrequest", job: try shop.job()) {
            // Both reads wait for the locks; then the lines' session is ended.
            let waits = try waitingForLocks(shop, ["COPY (SELECT i.order_id%", "%refund_request%"])
            XCTAssertEqual(waits.count, 2, "the order lines' read and the refunds' read wait for the locks")
            if let lines = waits.first { try shop.admin.execute("SELECT pg_terminate_backend($1::int)", [lines]) }
        }
        XCTAssertTrue(run.endedWhileLocked, "the run waited for the locked refunds after the orders' stream had failed")
        try assertLostConnection(run.error)
        XCTAssertNil(try shop.snapshot("2026-11-23", "total_revenue"), "nothing loaded")
    }

    /// The same in a stage that reads on two connections: the funnel reads two months of events at once, and when
    /// one month's session ends the other month's read is cancelled (here both wait for the events another session
    /// holds locked).
    func testALostMonthOfEventsStopsTheOtherMonthAtOnce() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let twoMonths = ShopDayRange(asOf.advanced(by: -40), asOf)
        let run = try backfillWhileLocked(shop, "public.analytics_conversionevent", job: try shop.job { $0.stages = [FunnelStage()] },
                                          range: twoMonths) {
            let waits = try waitingForLocks(shop, ["%analytics_conversionevent%", "%analytics_conversionevent%"])
            XCTAssertEqual(waits.count, 2, "both months' reads wait for the lock")
            if let first = waits.first { try shop.admin.execute("SELECT pg_terminate_backend($1::int)", [first]) }
        }
        XCTAssertTrue(run.endedWhileLocked, "the run waited for the locked events after one month's read had failed")
        try assertLostConnection(run.error)
    }

    /// The sessions of the shop waiting for a lock whose statements match `patterns` (distinct sessions, in order),
    /// once all are waiting or after 30 s.
    func waitingForLocks(_ shop: TestShop, _ patterns: [String]) throws -> [String] {
        var found: [String] = []
        for _ in 0..<600 {
            found = []
            for p in patterns {
                let others = found.isEmpty ? "0" : found.joined(separator: ",")
                if let pid = try shop.admin.scalar("""
                    SELECT pid::text FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1 AND pid NOT IN (\(others))
                    ORDER BY pid LIMIT 1
                    """, [p]) { found.append(pid) }
            }
            if found.count == patterns.count { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return found
    }

    /// The run's error is the lost connection, not a statement the job cancelled after it.
    func assertLostConnection(_ error: (any Error)?, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let error = error as? PostgresError else {
            return XCTFail("the run's error is the lost connection: \(String(describing: error))", file: file, line: line)
        }
        XCTAssertFalse("\(error)".contains("cancel"), "\(error)", file: file, line: line)
    }

    func testAReportThatCannotBeWrittenAfterTheLoadSaysTheLoadIsKept() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("faults-file-\(UUID().uuidString)").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CLI.run(["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", file + "/reports"],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 73, r.err)
        XCTAssertEqual(r.err, "error: The load succeeded and is kept (run 1), but the daily report was not written: Could not write \(file)/reports (\(file) is a file, not a folder); check that the --out folder exists and is writable; then write it with `dusangire-analytics report --name daily --date 2026-11-23`.\n")
        XCTAssertEqual(try shop.admin.scalar("SELECT status FROM analytics.runs"), "succeeded")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")

        // With --send the mailing needs the report: the sentence says nothing went and how to send it.
        let mailing = try CLI.run(["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", file + "/reports", "--send"],
                                  env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                                        "DUSANGIRE_SMTP_URL": "smtp://127.0.0.1:9", "DUSANGIRE_SMTP_TLS": "none"])
        XCTAssertEqual(mailing.status, 73, mailing.err)
        XCTAssertTrue(mailing.err.hasPrefix("error: The load succeeded and is kept (run 2), but the daily report was not written: "), mailing.err)
        XCTAssertTrue(mailing.err.hasSuffix("then write it with `dusangire-analytics report --name daily --date 2026-11-23`; nothing was e-mailed: once the report is written, send it with `dusangire-analytics send --name daily --date 2026-11-23` (and the other nightly reports likewise).\n"), mailing.err)
    }
}

/// Commands against a warehouse that was never migrated: a configuration error (78) saying what to run.
final class UnmigratedWarehouseTests: XCTestCase {
    func testRunsAndReportSayToMigrateFirst() throws {
        guard ProcessInfo.processInfo.environment["DUSANGIRE_TEST_PG"] != nil else { throw XCTSkip("no PostgreSQL") }
        let server = try Connection("dbname=postgres")
        let name = "dusangire_empty_\(UInt32.random(in: 0...UInt32.max))"
        try server.execute("CREATE DATABASE \(name)")
        defer { _ = try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let env = ["DUSANGIRE_WAREHOUSE_URL": "dbname=\(name)", "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        for args in [["runs"], ["report", "--name", "daily", "--date", "2026-11-23", "--out", "/tmp/never-written"]] {
            let r = try CLI.run(args, env: env)
            XCTAssertEqual(r.status, 78, "\(args): \(r.err)")
            XCTAssertTrue(r.err.hasPrefix("error: The warehouse at "), r.err)
            XCTAssertTrue(r.err.hasSuffix("/\(name) has no analytics schema yet; run `dusangire-analytics migrate` first.\n"), r.err)
        }
    }
}

/// The command line's usage errors: exit 64 and one sentence, before any database is touched.
final class UsageErrorTests: XCTestCase {
    let env = ["DUSANGIRE_WAREHOUSE_URL": "postgresql://nobody@127.0.0.1:1/nowhere", "DUSANGIRE_SOURCE_URL": "postgresql://nobody@127.0.0.1:1/nowhere",
               "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]

    func usage(_ args: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args, env: env)
        XCTAssertEqual(r.status, 64, r.err, file: file, line: line)
        XCTAssertEqual(r.err, "error: " + expected + "\n", file: file, line: line)
    }

    func testAMistypedFlagNamesTheRightOne() throws {
        try usage(["backfill", "--form", "2026-11-01", "--to", "2026-11-02"],
                  "unknown option --form; did you mean --from? See `dusangire-analytics backfill --help`.")
        try usage(["runs", "--lmit", "3"], "unknown option --lmit; did you mean --limit? See `dusangire-analytics runs --help`.")
    }

    func testANegativeLimitIsUsage() throws {
        try usage(["runs", "--limit=-1"], "--limit must be between 1 and 10000 (it is -1). See `dusangire-analytics runs --help`.")
    }

    func testDatesOutsideTheShopsDatesAreUsage() throws {
        try usage(["run", "--date", "0000-01-01"],
                  "The value '0000-01-01' is invalid for '--date <date>': the shop's dates run from 2000-01-01 to 2099-12-31; give a day in that range. See `dusangire-analytics run --help`.")
        try usage(["report", "--name", "weekly", "--date", "1900-01-01"],
                  "The value '1900-01-01' is invalid for '--date <date>': the shop's dates run from 2000-01-01 to 2099-12-31; give a day in that range. See `dusangire-analytics report --help`.")
    }

    func testAReportNameIsNotAPath() throws {
        try usage(["report", "--name", "../reports/daily", "--date", "2026-11-23"],
                  "'../reports/daily' is not a report name; a name has only letters, digits, - and _ (for example daily), and names the file NAME.json in the report definitions folder.")
    }

    /// A report name typed wrong is bad usage (64); a definitions folder holding none is bad configuration (78).
    func testAnUnknownReportNameIsUsageUnlessTheFolderIsEmpty() throws {
        var r = try CLI.run(["report", "--name", "nosuch", "--date", "2026-11-23"], env: env)
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: There is no report named 'nosuch' in "), r.err)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-defs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        r = try CLI.run(["report", "--name", "daily", "--date", "2026-11-23", "--reports-dir", empty], env: env)
        XCTAssertEqual(r.status, 78, r.err)
    }

    func testEveryErrorStartsTheSameWay() throws {
        for args in [["frob"], ["backfill", "--to", "2026-11-01"], ["run", "--date", "2026-02-30"], ["runs"], ["migrate"],
                     ["report", "--name", "nosuch", "--date", "2026-11-23"], ["run", "--areas", "sales"]] {
            let r = try CLI.run(args, env: env)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.err.hasPrefix("error: "), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains("Error:"), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains(".."), "\(args): \(r.err)")
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, "\(args): \(r.err)")
        }
    }
}
