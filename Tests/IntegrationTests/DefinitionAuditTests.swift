import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

/// The README's definitions ("Daily snapshot", "Refunds", "Revenue by channel", "Payment methods and discounts", "Top
/// customers", "Campaigns", "Funnel and traffic") on small hand-made shops, at the corners the words must settle. Every
/// expected figure is worked out by hand in the comments, on Monday 23 November 2026 (Kigali).
final class DefinitionAuditTests: XCTestCase {
    let monday = ShopDayRange(ShopDay(iso: "2026-11-23")!, ShopDay(iso: "2026-11-23")!)

    /// Seven sales on Monday 23 November, a cancelled order refunded that day, Sunday's sale refunded on Monday, and a
    /// completed refund request that recorded no completion time.
    func testSnapshotChannelsPaymentsDiscountsAndTopCustomersAtTheirCorners() throws {
        let shop = try TestShop()
        for u in 1...7 { try shop.user(u) }
        // Customer 2 left the corporate partner (is_active false): the shop keeps no dates, so he is still an employee.
        try shop.corporateEmployee(user: 2)
        try shop.admin.execute("UPDATE public.corporate_corporateemployee SET is_active = false WHERE user_id = 2")
        // Customer 6 is staff: his sale is a sale like any other in the daily figures, top customers included.
        try shop.admin.execute("UPDATE public.auth_user SET is_staff = true WHERE id = 6")

        try shop.order(1, user: 1, kigali: "2026-11-23 10:00", method: "card", subtotal: 1000, delivery: 500, coupon: 100)   // 1,400 direct
        try shop.order(2, user: 2, kigali: "2026-11-23 10:10", method: "cash_on_delivery", subtotal: 2000)                   // 2,000 corporate
        try shop.order(3, user: 3, kigali: "2026-11-23 10:20", method: "airtel_money", subtotal: 3000, loyalty: 300, referral: 200) // 2,500 referral
        try shop.order(4, user: 3, kigali: "2026-11-23 10:30", method: "mtn_mobile_money", subtotal: 500, loyalty: 100)      // 400 loyalty
        try shop.order(5, user: 4, kigali: "2026-11-23 10:40", status: "cancelled", payment: "refunded", subtotal: 900,
                       updatedKigali: "2026-11-23 18:00")                                                                     // refunded, not a sale
        try shop.order(6, user: 5, kigali: "2026-11-22 12:00", payment: "refunded", subtotal: 700,
                       updatedKigali: "2026-11-23 09:00")                                                                     // Sunday's, refunded Monday
        try shop.order(7, user: 6, kigali: "2026-11-23 11:00", method: "bank_transfer", subtotal: 1400)                       // 1,400 direct
        try shop.order(8, user: 7, kigali: "2026-11-23 12:00", method: "card", subtotal: 700)                                 // 700 direct
        try shop.order(9, user: 7, kigali: "2026-11-23 13:00", method: "card", subtotal: 700)                                 // 700 direct
        // A completed refund request on order 6's payment with no completion time: it counts on its last update's day.
        try shop.completedRefund(orderId: 6, amount: 250, completedKigali: "2026-11-23 09:30")
        try shop.admin.execute("UPDATE public.payments_refundrequest SET refund_completed_at = NULL")

        _ = try shop.job().backfill(monday)

        // Sales: 1,400 + 2,000 + 2,500 + 400 + 1,400 + 700 + 700 = 9,100 over 7 sales of 5 customers (AOV 1,300);
        // discounts 100 + 300 + 200 + 100 = 700; placed: 8 (order 6 was placed on Sunday), 1 cancelled; refunded orders
        // 5 and 6 (900 + 700) on the day of their last update; the request's 250 on its update's day.
        XCTAssertEqual(try shop.rows("""
            SELECT total_orders, unique_customers, total_revenue, total_discount, average_order_value, cash_orders,
                   mobile_money_orders, bank_transfer_orders, card_orders, orders_placed, cancelled_orders, refunded_orders,
                   refunded_order_value, refunds_completed, refund_amount
            FROM analytics.daily_snapshot WHERE day = '2026-11-23'
            """), ["7|5|9100.00|700.00|1300.00|1|2|1|3|8|1|2|1600.00|1|250.00"])
        // Channels, first match wins: corporate (an employee, active or not), referral before loyalty, the rest direct.
        XCTAssertEqual(try shop.rows("""
            SELECT channel, amount, transactions FROM analytics.revenue_by_channel WHERE day = '2026-11-23' ORDER BY channel
            """), ["catering|0.00|0", "corporate|2000.00|1", "direct_order|4200.00|4", "loyalty|400.00|1",
                   "referral|2500.00|1", "subscription|0.00|0", "vip_upgrade|0.00|0"])
        // Every method and every discount kind has a row, zeros included.
        XCTAssertEqual(try shop.rows("""
            SELECT payment_method, orders, amount FROM analytics.payment_methods WHERE day = '2026-11-23' ORDER BY payment_method
            """), ["airtel_money|1|2500.00", "bank_transfer|1|1400.00", "card|3|2800.00", "cash_on_delivery|1|2000.00",
                   "mtn_mobile_money|1|400.00"])
        XCTAssertEqual(try shop.rows("SELECT kind, orders, amount FROM analytics.discounts WHERE day = '2026-11-23' ORDER BY kind"),
                       ["corporate|0|0.00", "coupon|1|100.00", "loyalty|2|400.00", "referral|1|200.00", "vip|0|0.00"])
        // Ties on revenue: more sales first (customer 7's two sales of 700), then the lower user id (1 before 6, staff).
        XCTAssertEqual(try shop.rows("SELECT rank, user_id, sales, revenue FROM analytics.top_customers WHERE day = '2026-11-23' ORDER BY rank"),
                       ["1|3|2|2900.00", "2|2|1|2000.00", "3|7|2|1400.00", "4|1|1|1400.00", "5|6|1|1400.00"])
    }

    /// A campaign whose window ends at noon, with a budget of 32 francs: the ROI and the budget used land exactly
    /// half-way between two hundredths of a percent.
    func testCampaignWindowEndingAtNoonAndPercentagesRoundedHalfAwayFromZero() throws {
        let shop = try TestShop()
        for u in 1...5 { try shop.user(u) }
        try shop.campaign(1, name: "Cheap morning", description: "1 RWF off with coupon code CHEAP", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-23 12:00:00", budget: "32")
        // No code in its description and no sale with QUIET: measured on the lift, which has no cost and no history.
        try shop.campaign(2, name: "Quiet", audience: "vip", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-23 23:59:59", budget: nil)
        // The same code all day (written in lower case), paused: gets the sales only campaign 1's window does not hold.
        try shop.campaign(3, name: "Cheap all day", description: "coupon code cheap", status: "paused", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-23 23:59:59", budget: nil)
        try shop.campaign(4, name: "Cheap cancelled", description: "coupon code CHEAP", status: "cancelled", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-23 23:59:59", budget: "100")

        try shop.order(1, user: 1, kigali: "2026-11-23 10:00", subtotal: 4, coupon: 1)                  // 3, credited (code "cheap ")
        try shop.couponCode(order: 1, "cheap ")
        try shop.order(2, user: 2, kigali: "2026-11-23 15:00", subtotal: 50, coupon: 5)                 // 45 after noon: not credited
        try shop.couponCode(order: 2, "CHEAP")
        try shop.order(3, user: 4, kigali: "2026-11-23 11:00", subtotal: 100, total: 90)                // rejected: not active
        try shop.order(4, user: 5, kigali: "2026-11-23 11:30", status: "cancelled", payment: "failed", subtotal: 20)  // active
        // Customer 3's only activity is an event the funnel sets aside (unknown type): still activity.
        try shop.event(1, "unknown_step", session: "s3", user: 3, kigali: "2026-11-23 09:00")

        _ = try shop.job(djangoTables: true) { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(monday)

        // Campaign 1 (the lowest id whose window holds the sale) gets order 1; campaign 3 gets order 2; the cancelled
        // campaign 4 gets nothing and has no figures.
        // Campaign 1: reached: 1 (converted), 3 (an event), 5 (a cancelled order) = 3; converted 1: 33.33 %. Audience revenue: every
        // sale of the window's shop day, 3 + 45 = 48. ROI (3 - 32) / 32 = -90.625 % -> -90.63; budget used 1 / 32 =
        // 3.125 % -> 3.13. The shop's first sale is on the window's first day: no baseline.
        // Campaign 2: no cost and no history; no cost is the reason given for its ROI.
        // Campaign 3: reached 1, 2, 3, 5 (customer 2 at 15:00, inside its window); converted 2: 25 %. No budget: the
        // cost is the coupon discount it gave (5); ROI (45 - 5) / 5 = 800 %.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, coupon_orders, coupon_revenue, discount_given, customers_reached, customers_converted,
                   conversion_rate, budget_used, audience_revenue, lift_unmeasurable, return_basis, cost, cost_basis, roi,
                   roi_unmeasurable
            FROM analytics.campaign_performance ORDER BY campaign_id
            """), ["1|1|3.00|1.00|3|1|33.33|3.13|48.00|short_history|coupon|32.00|budget|-90.63|NULL",
                   "2|0|0.00|0.00|0|0|0.00|NULL|0.00|short_history|lift|NULL|NULL|NULL|no_cost",
                   "3|1|45.00|5.00|4|1|25.00|NULL|48.00|short_history|coupon|5.00|discount|800.00|NULL"])
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, coupon_orders, coupon_revenue, customers_reached, customers_converted, conversion_rate, audience_revenue
            FROM analytics.campaign_daily WHERE day = '2026-11-23' ORDER BY campaign_id
            """), ["1|1|3.00|3|1|33.33|48.00", "2|0|0.00|0|0|0.00|0.00", "3|1|45.00|4|1|25.00|48.00"])
        // The shop's table: an ROI that is not measurable is 0.00 there.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, orders_influenced, revenue_generated, customers_reached, customers_converted, conversion_rate, roi
            FROM public.analytics_campaignperformance ORDER BY campaign_id
            """), ["1|1|3.00|3|1|33.33|-90.63", "2|0|0.00|0|0|0.00|0.00", "3|1|45.00|4|1|25.00|800.00"])
    }

    /// Sessions across midnight, a login midway, duplicate events, a session with no funnel step, and a blank session id.
    func testFunnelSessionsUsersAndTheGapAtTheirCorners() throws {
        let shop = try TestShop()
        for u in 7...9 { try shop.user(u) }
        try shop.order(1, user: 8, kigali: "2026-11-20 12:00", subtotal: 1000)    // customer 8's first sale: returning on Monday
        try shop.order(2, user: 9, kigali: "2026-11-23 12:00", subtotal: 1000)    // customer 9's first sale: new on Monday
        try shop.order(3, user: 9, kigali: "2026-11-23 13:00", subtotal: 1000)    // and his second order that day
        // x1: anonymous menu at 23:50, then customer 7 completes an order after midnight: Monday's, new, skipped steps.
        try shop.event(1, "view_menu", session: "x1", kigali: "2026-11-23 23:50")
        try shop.event(2, "complete_order", session: "x1", user: 7, kigali: "2026-11-24 00:10")
        // x2: customer 8 views the menu twice and subscribes.
        try shop.event(3, "view_menu", session: "x2", user: 8, kigali: "2026-11-23 09:00")
        try shop.event(4, "view_menu", session: "x2", user: 8, kigali: "2026-11-23 09:00")
        try shop.event(5, "subscribe", session: "x2", user: 8, kigali: "2026-11-23 09:05")
        // x3: an anonymous referral click only.
        try shop.event(6, "referral_click", session: "x3", kigali: "2026-11-23 10:00")
        // x4: customer 9 then customer 8 (the smaller id is the session's user): menu and cart.
        try shop.event(7, "view_menu", session: "x4", user: 9, kigali: "2026-11-23 11:00")
        try shop.event(8, "add_to_cart", session: "x4", user: 8, kigali: "2026-11-23 11:05")
        // x5: an anonymous menu view and completed order, no cart or checkout between.
        try shop.event(10, "view_menu", session: "x5", kigali: "2026-11-23 14:00")
        try shop.event(11, "complete_order", session: "x5", kigali: "2026-11-23 14:05")
        // x6: customer 9 completes an order with no earlier step recorded.
        try shop.event(12, "complete_order", session: "x6", user: 9, kigali: "2026-11-23 12:59")
        // A session id of white space only: set aside.
        try shop.event(9, "view_menu", session: " \t", user: 9, kigali: "2026-11-23 11:10")

        _ = try shop.job { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(monday)

        XCTAssertEqual(try shop.rows("""
            SELECT user_type, sessions, view_menu, add_to_cart, start_checkout, complete_order, subscribe, referral_click, skipped_steps
            FROM analytics.funnel_daily WHERE day = '2026-11-23' ORDER BY user_type
            """), ["all|6|5|4|3|3|1|1|3", "anonymous|2|1|1|1|1|0|1|1", "new|2|2|2|2|2|0|0|2", "returning|2|2|1|0|0|1|0|0"])
        // Customer 9: two orders, one complete_order session (x6): one order without the event. Customer 7's session
        // has no order that day, and the anonymous x5 has none it could match.
        XCTAssertEqual(try shop.rows("""
            SELECT orders_placed, complete_order_sessions, orders_without_event, sessions_without_order
            FROM analytics.funnel_gap WHERE day = '2026-11-23'
            """), ["2|3|1|2"])
        XCTAssertEqual(try shop.rows("SELECT source_id, reason FROM analytics.rejected_rows WHERE source = 'analytics_conversionevent'"),
                       ["9|missing_session"])
    }

    /// Orders with two faults each get the first reason in the README's order ("Rejected rows"); a rejected order is
    /// in no figure, not even the orders placed or cancelled.
    func testAnOrderWithSeveralFaultsIsRejectedForTheFirstInTheReadmesOrder() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.admin.execute("ALTER TABLE public.orders_order DROP CONSTRAINT orders_order_user_id_e9b59eb1_fk_auth_user_id")
        try shop.order(1, user: 999, kigali: "2026-11-23 12:00", status: "completed", subtotal: 5000)                    // missing_user
        try shop.order(2, user: 1, kigali: "2026-11-23 12:00", status: "completed", method: "mobile_money", subtotal: 5000)  // unknown_status
        try shop.order(3, user: 1, kigali: "2026-11-23 12:00", payment: "paid", method: "mobile_money", subtotal: 5000)    // unknown_payment_method
        try shop.order(4, user: 1, kigali: "2026-11-23 12:00", payment: "paid", subtotal: 5000, delivery: -500)          // unknown_payment_status
        try shop.order(5, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000, coupon: -100, total: 4000)                 // negative_amount
        try shop.order(6, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)                                            // total_mismatch by 0.01
        try shop.admin.execute("UPDATE public.orders_order SET total = 4999.99 WHERE id = 6")
        try shop.order(7, user: 1, kigali: "2026-11-23 12:00", status: "cancelled", payment: "failed", subtotal: 5000, total: 4000)  // total_mismatch
        try shop.order(8, user: 1, kigali: "2026-11-23 12:00", subtotal: 2000)                                            // the only good order

        _ = try shop.job().backfill(monday)

        XCTAssertEqual(try shop.rows("SELECT source_id, reason FROM analytics.rejected_rows WHERE source = 'orders_order' ORDER BY source_id"),
                       ["1|missing_user", "2|unknown_status", "3|unknown_payment_method", "4|unknown_payment_status",
                        "5|negative_amount", "6|total_mismatch", "7|total_mismatch"])
        XCTAssertEqual(try shop.rows("""
            SELECT total_orders, total_revenue, orders_placed, cancelled_orders FROM analytics.daily_snapshot WHERE day = '2026-11-23'
            """), ["1|2000.00|1|0"])
    }

    /// Audiences at the same instant: a referral created at the very moment of a sale counts (at or before it), one a
    /// microsecond later does not; two sales at a customer's first moment are both first sales.
    func testAudiencesAtTheSameInstant() throws {
        let shop = try TestShop()
        for u in 1...5 { try shop.user(u) }
        try shop.campaign(1, name: "Friends", audience: "referrals", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-23 23:59:59", budget: nil)
        try shop.campaign(2, name: "Newcomers", audience: "new_customers", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-23 23:59:59", budget: nil)
        try shop.referral(1, referrer: 5, referee: 2, status: "PENDING", bonus: 0, createdKigali: "2026-11-23 12:00", completedKigali: nil)
        try shop.referral(2, referrer: 5, referee: 3, status: "PENDING", bonus: 0, createdKigali: "2026-11-23 12:00:00.000001", completedKigali: nil)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 1000, referral: 100)   // 900, its own referral discount
        try shop.order(2, user: 2, kigali: "2026-11-23 12:00", subtotal: 2000)                  // referred at that instant
        try shop.order(3, user: 3, kigali: "2026-11-23 12:00", subtotal: 4000)                  // referred a microsecond later
        try shop.order(4, user: 4, kigali: "2026-11-23 09:00", subtotal: 100)                   // customer 4's two first sales
        try shop.order(5, user: 4, kigali: "2026-11-23 09:00", subtotal: 200)
        try shop.order(6, user: 4, kigali: "2026-11-23 10:00", subtotal: 400)                   // his third: not a first sale

        _ = try shop.job { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(monday)

        // Friends: 900 + 2,000 from customers 1 and 2. Newcomers: every first sale, 900 + 2,000 + 4,000 + 100 + 200 =
        // 7,200, and all four customers were new at their first order.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, customers_reached, audience_revenue FROM analytics.campaign_performance ORDER BY campaign_id
            """), ["1|2|2900.00", "2|4|7200.00"])
    }

    /// Both stores added: the order store keeps redemptions negative (they count by their size); the subscription
    /// store's points are never negative (the shop's schema checks it); expired and adjustment rows count as neither.
    func testLoyaltyPointsOfBothStoresAdded() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.orderPoints(user: 1, points: 50, type: "earned", kigali: "2026-11-20 09:00")
        try shop.orderPoints(user: 1, points: -200, type: "redeemed", kigali: "2026-11-21 09:00")
        try shop.orderPoints(user: 1, points: -30, type: "expired", kigali: "2026-11-21 09:00")      // neither
        try shop.subscriptionPoints(user: 1, points: 100, type: "EARN", kigali: "2026-11-20 10:00")
        try shop.subscriptionPoints(user: 1, points: 300, type: "REDEEM", kigali: "2026-11-22 10:00")
        try shop.subscriptionPoints(user: 1, points: 40, type: "REDEEM", kigali: "2026-11-22 11:00")
        try shop.subscriptionPoints(user: 1, points: 70, type: "ADJUSTMENT", kigali: "2026-11-22 12:00")   // neither
        try shop.subscriptionPoints(user: 1, points: 5, type: "EARN", kigali: "2026-11-24 10:00")        // after the as-of day

        _ = try shop.job { $0.stages = [CustomerStage()] }.backfill(monday)

        // Earned 50 + 100 = 150; redeemed 200 + 300 + 40 = 540.
        XCTAssertEqual(try shop.rows("SELECT loyalty_points_earned, loyalty_points_redeemed FROM analytics.customer_metrics WHERE user_id = 1"),
                       ["150|540"])
    }

    /// A campaign without a code of its own is measured on its audience's lift against the same weekdays of the four
    /// weeks before; an unknown audience has neither lift nor ROI, never -100 %.
    func testReturnOnTheLiftAgainstTheSameWeekdays() throws {
        let shop = try TestShop()
        for u in 1...2 { try shop.user(u) }
        try shop.campaign(1, name: "Lift only", startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-23 23:59:59", budget: "1000")
        try shop.campaign(2, name: "Odd audience", audience: "students", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-23 23:59:59", budget: "100")
        try shop.order(1, user: 1, kigali: "2026-10-26 12:00", subtotal: 4000)   // Monday, the baseline's first day: history complete
        try shop.order(2, user: 2, kigali: "2026-11-09 12:00", subtotal: 2000)   // Monday
        try shop.order(3, user: 2, kigali: "2026-11-10 12:00", subtotal: 999)    // Tuesday: not Monday's baseline
        try shop.order(4, user: 1, kigali: "2026-11-23 12:00", subtotal: 2600)   // the window's Monday

        _ = try shop.job { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(monday)

        // Baseline (4,000 + 2,000) / 4 = 1,500; lift 2,600 - 1,500 = 1,100 (+73.33 %); ROI (1,100 - 1,000) / 1,000 = 10 %.
        XCTAssertEqual(try shop.rows("""
            SELECT campaign_id, audience_revenue, baseline_first_day, baseline_revenue, lift, uplift, lift_unmeasurable,
                   return_basis, cost, cost_basis, roi, roi_unmeasurable
            FROM analytics.campaign_performance ORDER BY campaign_id
            """), ["1|2600.00|2026-10-26|1500.00|1100.00|73.33|NULL|lift|1000.00|budget|10.00|NULL",
                   "2|0.00|2026-10-26|NULL|NULL|NULL|unknown_audience|lift|100.00|budget|NULL|unknown_audience"])
    }

    /// An order whose amounts are NaN (PostgreSQL's numeric holds it) is unreadable for the daily extract, so it is no
    /// customer's first sale either: customer 1's first sale is Monday's, and his Monday session is a new customer's.
    func testAnOrderOfNaNIsNoFirstSale() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-20 12:00", subtotal: 1000)
        try shop.admin.execute("UPDATE public.orders_order SET subtotal = 'NaN', total = 'NaN' WHERE id = 1")
        try shop.order(2, user: 1, kigali: "2026-11-23 12:00", subtotal: 1000)
        try shop.event(1, "view_menu", session: "n1", user: 1, kigali: "2026-11-23 11:55")
        try shop.campaign(1, name: "Welcome", audience: "new_customers", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-23 23:59:59", budget: nil)

        // First sales read by the campaigns themselves (no customer stage), then handed on by the customer stage.
        let withoutCustomers: [any AnalyticsStage] = [CampaignStage(), FunnelStage()]
        for stages in [withoutCustomers, [CustomerStage()] + withoutCustomers] {
            _ = try shop.job { $0.stages = stages }.backfill(monday)
            XCTAssertEqual(try shop.rows("SELECT user_type, sessions FROM analytics.funnel_daily WHERE day = '2026-11-23' AND sessions > 0 ORDER BY 1"),
                           ["all|1", "new|1"])
            XCTAssertEqual(try shop.rows("SELECT customers_reached, audience_revenue FROM analytics.campaign_performance"), ["1|1000.00"])
        }
    }

    /// Catering bookings beside order revenue: confirmed and completed ones on their event day; a price below zero is
    /// negative_amount, one that is not a number (NaN) unreadable_value (README, "Rejected rows").
    func testCateringBookingsAndTheirRejectedRows() throws {
        let shop = try TestShop()
        try shop.user(1)
        for (id, status, price) in [(1, "confirmed", "150000"), (2, "completed", "50000.50"), (3, "pending", "99999"),
                                    (4, "cancelled", "88888"), (5, "confirmed", "-100"), (6, "completed", "NaN")] {
            try shop.admin.execute("""
                INSERT INTO public.catering_cateringbooking (id, event_name, event_date, event_time, location, number_of_people,
                  special_requests, status, total_price, created_at, updated_at, package_id, user_id)
                VALUES ($1, 'Staff lunch', '2026-11-23', '12:00', 'Ward 3', 20, '', $2, $3::numeric, now(), now(), NULL, 1)
                """, [String(id), status, price])
        }
        _ = try shop.job().backfill(monday)
        XCTAssertEqual(try shop.rows("SELECT amount, transactions FROM analytics.revenue_by_channel WHERE day = '2026-11-23' AND channel = 'catering'"),
                       ["200000.50|2"])
        XCTAssertEqual(try shop.rows("""
            SELECT source_id, reason FROM analytics.rejected_rows WHERE source = 'catering_cateringbooking' ORDER BY source_id
            """), ["5|negative_amount", "6|unreadable_value"])
    }

    /// A refunded order is checked for its amount only: one whose total does not add up still counts as refunded, with
    /// its total; one with a negative total is a rejected row.
    func testARefundedOrderIsCheckedForItsAmountOnly() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-22 12:00", payment: "refunded", subtotal: 1000, total: 900,
                       updatedKigali: "2026-11-23 09:00")
        try shop.order(2, user: 1, kigali: "2026-11-22 13:00", payment: "refunded", subtotal: 0, coupon: 50,
                       updatedKigali: "2026-11-23 10:00")   // total -50
        _ = try shop.job().backfill(monday)
        XCTAssertEqual(try shop.rows("SELECT refunded_orders, refunded_order_value FROM analytics.daily_snapshot WHERE day = '2026-11-23'"),
                       ["1|900.00"])
        XCTAssertEqual(try shop.rows("SELECT source, source_id, reason FROM analytics.rejected_rows ORDER BY source_id"),
                       ["orders_order|2|negative_amount"])
    }

    /// A job whose days begin inside a campaign's window computes the campaign over its whole window, so it writes the
    /// campaign's daily rows for the whole window too: the days add up to the campaign's figures, and the detail
    /// page's ROI to date ends on the campaign's ROI (README, "Campaign detail"). A later job of fewer days keeps them.
    func testABackfillStartingInsideAWindowWritesTheWholeWindowsDays() throws {
        let shop = try TestShop()
        for u in 1...2 { try shop.user(u) }
        try shop.campaign(1, name: "Early bird", description: "coupon code EARLY", startKigali: "2026-11-20 00:00:00",
                          endKigali: "2026-11-24 23:59:59", budget: "1000")
        try shop.order(1, user: 1, kigali: "2026-11-21 12:00", subtotal: 600, coupon: 100)   // 500, before the job's days
        try shop.couponCode(order: 1, "EARLY")
        try shop.order(2, user: 2, kigali: "2026-11-23 12:00", subtotal: 800, coupon: 100)   // 700
        try shop.couponCode(order: 2, "EARLY")
        let days = ShopDayRange(ShopDay(iso: "2026-11-23")!, ShopDay(iso: "2026-11-24")!)
        let expected = ["2026-11-20|0|0.00|0|0.00", "2026-11-21|1|500.00|1|500.00", "2026-11-22|0|0.00|0|0.00",
                        "2026-11-23|1|700.00|1|700.00", "2026-11-24|0|0.00|0|0.00"]
        for range in [days, ShopDayRange(days.last, days.last)] {
            _ = try shop.job { $0.stages = [CampaignStage(), FunnelStage()] }.backfill(range)
            // Coupon revenue 500 + 700 = 1,200 against a budget of 1,000: ROI 20 %.
            XCTAssertEqual(try shop.rows("SELECT coupon_orders, coupon_revenue, roi FROM analytics.campaign_performance WHERE as_of = '2026-11-24'"),
                           ["2|1200.00|20.00"])
            XCTAssertEqual(try shop.rows("""
                SELECT day, coupon_orders, coupon_revenue, customers_reached, audience_revenue FROM analytics.campaign_daily ORDER BY day
                """), expected)
        }
    }
}
