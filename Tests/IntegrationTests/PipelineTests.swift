import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

/// The pipeline against a real PostgreSQL server, on small hand-made shops.
final class PipelineTests: XCTestCase {
    let mon = ShopDay(iso: "2026-11-23")!
    var week: ShopDayRange { ShopDayRange(mon, mon.advanced(by: 2)) }

    func testOrderAt2330KigaliLandsOnThatKigaliDay() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 23:30", subtotal: 4000)   // 21:30 UTC on the 23rd
        try shop.order(2, user: 1, kigali: "2026-11-24 00:30", subtotal: 1000)   // 22:30 UTC on the 23rd: a UTC day would get this wrong
        _ = try shop.job().backfill(week)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "4000.00")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "total_revenue"), "1000.00")
    }

    func testRefundedOrdersAreNotSalesAndRefundsCountOnTheirDay() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", payment: "refunded", subtotal: 7000, updatedKigali: "2026-11-24 09:00")
        try shop.order(3, user: 1, kigali: "2026-11-23 14:00", status: "cancelled", payment: "failed", subtotal: 2000)
        try shop.completedRefund(orderId: 2, amount: 7000, completedKigali: "2026-11-25 10:00")
        _ = try shop.job().backfill(week)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "orders_placed"), "3")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "cancelled_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "refunded_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "refunded_order_value"), "7000.00")
        XCTAssertEqual(try shop.snapshot("2026-11-25", "refunds_completed"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-25", "refund_amount"), "7000.00")
    }

    func testAnEmptyDayHasAZeroRow() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        _ = try shop.job().backfill(week)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.daily_snapshot"), "3")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "total_orders"), "0")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "total_revenue"), "0.00")
        XCTAssertEqual(try shop.snapshot("2026-11-24", "average_order_value"), "0.00")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.revenue_by_channel WHERE day = '2026-11-24'"), "7")
    }

    func testRerunningARangeChangesNothing() throws {
        let shop = try TestShop()
        try shop.user(1); try shop.user(2)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000, vip: 500)
        try shop.order(2, user: 2, kigali: "2026-11-24 12:00", method: "card", subtotal: 3000, referral: 300)
        try shop.order(3, user: 2, kigali: "2026-11-24 13:00", subtotal: 3000, total: 2999)  // total mismatch: rejected
        let first = try shop.job().backfill(week)
        let before = try shop.contents()
        let second = try shop.job().backfill(week)
        XCTAssertEqual(try shop.contents(), before)
        XCTAssertNotEqual(first.runId, second.runId)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.rejected_rows"), "1", "a rerun replaces rejected rows too")
        XCTAssertEqual(try shop.admin.scalar("SELECT reason FROM analytics.rejected_rows"), "total_mismatch")
        XCTAssertEqual(second.counts.rowsRejected, 1)
        XCTAssertEqual(try shop.admin.scalar("SELECT rows_rejected FROM analytics.runs WHERE id = $1", [String(second.runId)]), "1")
    }

    func testChannelsReconcileWithSnapshotRevenue() throws {
        let shop = try TestShop()
        for u in 1...4 { try shop.user(u) }
        try shop.order(1, user: 1, kigali: "2026-11-23 09:00", subtotal: 5000, referral: 250)
        try shop.order(2, user: 2, kigali: "2026-11-23 10:00", subtotal: 3000)
        try shop.subscriptionOrder(2, user: 2)
        try shop.order(3, user: 3, kigali: "2026-11-23 11:00", subtotal: 2000, loyalty: 100)
        try shop.order(4, user: 4, kigali: "2026-11-23 12:00", subtotal: 1000, delivery: 500)
        // A corporate employee's order with no corporate discount is still the corporate channel's.
        try shop.user(5)
        try shop.corporateEmployee(user: 5)
        try shop.order(5, user: 5, kigali: "2026-11-23 13:00", subtotal: 2500)
        _ = try shop.job().backfill(week)
        let mismatches = try shop.admin.scalar("""
            SELECT count(*) FROM analytics.daily_snapshot s
            WHERE s.total_revenue <> (SELECT sum(amount) FROM analytics.revenue_by_channel c
                                      WHERE c.day = s.day AND c.channel NOT IN ('catering', 'vip_upgrade'))
            """)
        XCTAssertEqual(mismatches, "0")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "13650.00")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "subscription_orders"), "1")
        XCTAssertEqual(try shop.admin.scalar("SELECT amount::text FROM analytics.revenue_by_channel WHERE day = '2026-11-23' AND channel = 'corporate'"), "2500.00")
        XCTAssertEqual(try shop.admin.scalar("SELECT amount::text FROM analytics.revenue_by_channel WHERE day = '2026-11-23' AND channel = 'subscription'"), "3000.00")
        XCTAssertEqual(try shop.admin.scalar("SELECT amount::text FROM analytics.revenue_by_channel WHERE day = '2026-11-23' AND channel = 'direct_order'"), "1500.00")
    }

    func testLateDeliveryMovesTheEarlierDayOnTheNextRun() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 22:00", status: "preparing", payment: "pending", subtotal: 4000)
        _ = try shop.job().nightly(date: mon)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "0")
        // Delivered after midnight; Django bumps updated_at.
        try shop.admin.execute("""
            UPDATE public.orders_order SET status = 'delivered', payment_status = 'completed',
              delivered_at = now(), updated_at = now() WHERE id = 1
            """)
        let tuesday = try shop.job().nightly(date: mon.advanced(by: 1))
        XCTAssertEqual(tuesday.days.map(\.description), ["2026-11-23..2026-11-24"])
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "1")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "4000.00")
    }

    func testTwoRunsAtOnceDoNotInterleave() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let inLoad = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let first = Handoff(try shop.job { o in o.afterDelete = { inLoad.signal(); release.wait() } })
        let range = week
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstError: (any Error)?
        Thread.detachNewThread {
            do { _ = try first.value.backfill(range) } catch { firstError = error }
            done.signal()
        }
        XCTAssertEqual(inLoad.wait(timeout: .now() + 30), .success)
        // While the first holds the lock: --no-wait gives up at once with the lock error...
        XCTAssertThrowsError(try shop.job { $0.waitForLock = false }.backfill(week)) { error in
            guard case JobError.busy = error else { return XCTFail("expected busy, got \(error)") }
        }
        // ...and a waiting run starts only after the first has committed.
        let secondDone = DispatchSemaphore(value: 0)
        let second = Handoff(try shop.job())
        Thread.detachNewThread {
            _ = try? second.value.backfill(range)
            secondDone.signal()
        }
        XCTAssertEqual(secondDone.wait(timeout: .now() + 1), .timedOut, "the second run must wait for the lock")
        release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(secondDone.wait(timeout: .now() + 30), .success)
        XCTAssertNil(firstError)
        let overlaps = try shop.admin.scalar("""
            SELECT count(*) FROM analytics.runs a JOIN analytics.runs b ON a.id < b.id
            WHERE a.status = 'succeeded' AND b.status = 'succeeded' AND b.started_at < a.finished_at
            """)
        XCTAssertEqual(overlaps, "0")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.runs WHERE status = 'succeeded'"), "2")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
    }

    func testStrictModeFailsAndLoadsNothing() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", method: "mobile_money", subtotal: 5000)
        XCTAssertThrowsError(try shop.job { $0.strict = true }.backfill(week)) { error in
            XCTAssertTrue(String(describing: error).contains("1 unknown_payment_method"), "\(error)")
        }
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.daily_snapshot"), "0")
        XCTAssertEqual(try shop.admin.scalar("SELECT status FROM analytics.runs"), "failed")
    }

    func testBadRowsAreKeptWithTheirReasonAndTheRunGoesOn() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(2, user: 1, kigali: "2026-11-23 12:00", status: "completed", subtotal: 5000)
        try shop.order(3, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000, total: 4000)
        try shop.order(4, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000, coupon: -100)
        try shop.admin.execute("ALTER TABLE public.orders_order DROP CONSTRAINT orders_order_user_id_e9b59eb1_fk_auth_user_id")
        try shop.order(5, user: 999, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(6, user: 1, kigali: "2099-01-01 12:00", subtotal: 5000)
        let s = try shop.job().backfill(ShopDayRange(mon, mon))
        XCTAssertEqual(s.counts.rowsRejected, 4)
        XCTAssertEqual(s.rejectedByReason, ["unknown_status": 1, "total_mismatch": 1, "negative_amount": 1, "missing_user": 1])
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_orders"), "1")
        let r = try shop.admin.execute("SELECT source_id, reason FROM analytics.rejected_rows ORDER BY source_id")
        XCTAssertEqual(r.rows.map { "\($0[0]!):\($0[1]!)" }, ["2:unknown_status", "3:total_mismatch", "4:negative_amount", "5:missing_user"])
        // An order created in the future (relative to the extract) is rejected when its day is computed.
        let future = try shop.job().backfill(ShopDayRange(ShopDay(iso: "2099-01-01")!, ShopDay(iso: "2099-01-01")!))
        XCTAssertEqual(future.rejectedByReason, ["future_created_at": 1])
    }

    func testDjangoTablesAreFilledAndReplacedNotDuplicated() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", method: "airtel_money", subtotal: 5000, vip: 500)
        _ = try shop.job(djangoTables: true).backfill(week)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", method: "cash_on_delivery", subtotal: 1000)
        _ = try shop.job(djangoTables: true).backfill(week)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM public.analytics_dailyanalyticssnapshot"), "3")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM public.analytics_revenuestream"), "21")
        let row = try shop.admin.execute("""
            SELECT total_orders, total_revenue::text, mobile_money_orders, cash_orders, vip_orders, vip_discounts_given::text,
                   average_order_value::text
            FROM public.analytics_dailyanalyticssnapshot WHERE date = '2026-11-23'
            """)
        XCTAssertEqual(row.rows.first?.compactMap { $0 }, ["2", "5500.00", "1", "1", "1", "500.00", "2750.00"])
    }
}

/// Hands a value to one other thread; the test makes sure only that thread uses it.
struct Handoff<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
