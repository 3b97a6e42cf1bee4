import Analytics
import Shop
import XCTest

/// A small hand-made shop in November 2026 (Kigali days; times are Kigali wall-clock, UTC+2) with five campaigns:
///
/// | id | name                 | status    | audience      | window (Kigali)               | budget | code            |
/// |----|----------------------|-----------|---------------|-------------------------------|--------|-----------------|
/// | 1  | Karibu new customers | completed | new_customers | 11-02 00:00 .. 11-08 23:59:59 | 10,000 | KARIBU15 (desc.)|
/// | 2  | VIP week             | completed | vip           | 11-05 00:00 .. 11-11 23:59:59 |  5,000 | VIPWEEK (name)  |
/// | 3  | Weekend feast        | completed | all           | 11-07 00:00 .. 11-08 23:59:59 |   none | WEEKENDFEAST    |
/// | 4  | Draft promo          | draft     | all           | 11-01 00:00 .. 11-30 23:59:59 |  1,000 | DRAFTPROMO      |
/// | 5  | Refer a friend       | active    | referrals     | 11-01 00:00 .. 11-10 23:59:59 |  2,000 | REFERAFRIEND    |
///
/// Customers: 1 first sale 11-03 10:00; 2 VIP since 10-01, first sale 10-20; 3 first sale 10-25; 4 referred 10-30,
/// first sale 11-04 11:00; 5 VIP since 11-06, first sale 10-01; 6 nothing (only a conversion event).
final class CampaignAttributionTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    let asOf = ShopDay(year: 2026, month: 11, day: 11)

    func nov(_ day: Int, _ h: Int, _ m: Int, _ s: Int = 0, month: Int = 11) -> Int64 {
        kigali.startMicros(of: ShopDay(year: 2026, month: month, day: day)) + Int64(h * 3600 + m * 60 + s) * 1_000_000
    }

    var campaigns: [Campaign] {
        [
            Campaign(id: 1, name: "Karibu new customers", description: "15% off with coupon code KARIBU15 for a first order.",
                     status: .completed, audience: .newCustomers, start: nov(2, 0, 0), end: nov(8, 23, 59, 59), budget: Money(francs: 10_000)),
            Campaign(id: 2, name: "VIP week", description: "20% off for our VIP customers.", status: .completed, audience: .vip,
                     start: nov(5, 0, 0), end: nov(11, 23, 59, 59), budget: Money(francs: 5_000)),
            Campaign(id: 3, name: "Weekend feast", status: .completed, audience: .all, start: nov(7, 0, 0), end: nov(8, 23, 59, 59), budget: nil),
            Campaign(id: 4, name: "Draft promo", status: .draft, audience: .all, start: nov(1, 0, 0), end: nov(30, 23, 59, 59), budget: Money(francs: 1_000)),
            Campaign(id: 5, name: "Refer a friend", status: .active, audience: .referrals, start: nov(1, 0, 0), end: nov(10, 23, 59, 59),
                     budget: Money(francs: 2_000)),
        ]
    }

    var facts: [Int64: CustomerFacts] {
        [1: CustomerFacts(firstSaleAt: nov(3, 10, 0)),
         2: CustomerFacts(firstSaleAt: nov(20, 12, 0, month: 10), vipSince: ShopDay(year: 2026, month: 10, day: 1)),
         3: CustomerFacts(firstSaleAt: nov(25, 12, 0, month: 10)),
         4: CustomerFacts(firstSaleAt: nov(4, 11, 0), referredAt: nov(30, 9, 0, month: 10)),
         5: CustomerFacts(firstSaleAt: nov(1, 9, 0, month: 10), vipSince: ShopDay(year: 2026, month: 11, day: 6))]
    }

    func sale(_ id: Int64, user: Int64, at: Int64, total: Int64, coupon: Int64 = 0, referral: Int64 = 0,
              status: OrderStatus = .delivered, pay: PaymentStatus = .completed) -> Order {
        let d = Discounts(coupon: Money(francs: coupon), referral: Money(francs: referral))
        return Order(id: id, userId: user, status: status, paymentMethod: .mtnMobileMoney, paymentStatus: pay,
                     subtotal: Money(francs: total) + d.total, discounts: d, total: Money(francs: total), createdAt: at)
    }

    /// (order, coupon code) in the shop; the comment says where each sale goes and why.
    var orders: [(Order, String)] {
        [
            (sale(1, user: 1, at: nov(3, 10, 0), total: 10_000, coupon: 1_500), "KARIBU15"),      // C1 by coupon
            (sale(2, user: 2, at: nov(5, 0, 0), total: 20_000), ""),                              // C2: VIP, at the Kigali midnight its window opens
            (sale(3, user: 2, at: nov(4, 23, 59, 59), total: 10_000), ""),                        // none: one second before C2 opens
            (sale(4, user: 3, at: nov(7, 12, 0), total: 8_000), ""),                              // C3: all
            (sale(5, user: 2, at: nov(7, 13, 0), total: 6_000), ""),                              // C2, not C3: vip is more specific
            (sale(6, user: 3, at: nov(8, 9, 0), total: 5_000, coupon: 500), " vipweek "),         // C2 by coupon, though not VIP
            (sale(7, user: 4, at: nov(4, 11, 0), total: 12_000), ""),                             // C1, not C5: first sale beats referral
            (sale(8, user: 4, at: nov(6, 11, 0), total: 3_000, referral: 300), ""),               // C5: referral discount
            (sale(9, user: 5, at: nov(6, 8, 0), total: 4_000), ""),                               // C2: VIP since that day
            (sale(10, user: 1, at: nov(9, 0, 0), total: 7_000, coupon: 700), "KARIBU15"),         // none: C1's coupon after C1 ended
            (sale(11, user: 3, at: nov(7, 14, 0), total: 1_000, status: .cancelled, pay: .failed), ""),   // not a sale (activity)
            (sale(12, user: 2, at: nov(8, 10, 0), total: 2_500, pay: .refunded), ""),             // not a sale (activity)
            (sale(13, user: 3, at: nov(8, 23, 30), total: 9_000, coupon: 900), "DUSANGIRE500"),   // C3: a shop coupon, not a campaign's
            (sale(14, user: 3, at: nov(9, 0, 30), total: 2_000), ""),                             // none: 30 min after C3 closed
        ]
    }

    func ledger(earliestSaleDay: ShopDay? = ShopDay(year: 2026, month: 10, day: 1)) -> CampaignLedger {
        var l = CampaignLedger(campaigns: campaigns, computing: [1, 2, 3, 4, 5], asOf: asOf, calendar: kigali, facts: facts,
                               earliestSaleDay: earliestSaleDay)
        for (o, code) in orders { l.add(o, couponCode: code) }
        l.addActivity(userId: 6, at: nov(7, 10, 0))
        return l
    }

    func testCouponCodeFromDescriptionElseFromName() {
        XCTAssertEqual(campaigns[0].couponCode, "KARIBU15")
        XCTAssertEqual(campaigns[1].couponCode, "VIPWEEK")
        XCTAssertEqual(Campaign.couponCode(name: "Ramadan evenings", description: "Use coupon code: ramadan-24."), "RAMADAN-24")
        XCTAssertEqual(Campaign.couponCode(name: "Umuganda brunch", description: "500 RWF off with coupon code UMUGANDABRUNCH (codes are the campaign name in capitals, without spaces)."), "UMUGANDABRUNCH")
        XCTAssertEqual(Campaign.normalizedCode(" vipweek "), "VIPWEEK")
    }

    func testEachSaleGoesToAtMostOneCampaign() {
        let a = CampaignAttribution(campaigns: campaigns, calendar: kigali)
        let expected: [Int64: (Int64, Bool)?] = [1: (1, true), 2: (2, false), 3: nil, 4: (3, false), 5: (2, false), 6: (2, true),
                                                 7: (1, false), 8: (5, false), 9: (2, false), 10: nil, 11: nil, 12: nil,
                                                 13: (3, false), 14: nil]
        for (o, code) in orders {
            let got = a.campaign(for: o, couponCode: code, facts: facts[o.userId])
            let want = expected[o.id]!
            XCTAssertEqual(got?.campaign.id, want?.0, "order \(o.id)")
            XCTAssertEqual(got?.viaCoupon, want?.1, "order \(o.id)")
        }
    }

    func testDraftCampaignsAreNotAttributed() {
        let a = CampaignAttribution(campaigns: campaigns, calendar: kigali)
        XCTAssertEqual(a.campaigns.map(\.id), [1, 2, 3, 5])
        XCTAssertNil(ledger().totals.first { $0.campaign.id == 4 })
    }

    func testTotalsPerCampaign() throws {
        let totals = Dictionary(uniqueKeysWithValues: ledger().totals.map { ($0.campaign.id, $0) })
        let c1 = try XCTUnwrap(totals[1]), c2 = try XCTUnwrap(totals[2]), c3 = try XCTUnwrap(totals[3]), c5 = try XCTUnwrap(totals[5])

        XCTAssertEqual([c1.ordersInfluenced, c1.couponOrders, c1.customersReached, c1.customersConverted], [2, 1, 3, 2])
        XCTAssertEqual(c1.revenueGenerated, Money(francs: 22_000))
        XCTAssertEqual(c1.discountGiven, Money(francs: 1_500))
        XCTAssertEqual(c1.conversionRate.decimalString, "66.67")   // users 1, 4 of 1, 4, 6
        XCTAssertEqual(c1.budgetUsed?.decimalString, "15.00")      // 1,500 / 10,000
        XCTAssertEqual(c1.roi?.decimalString, "120.00")            // (22,000 - 10,000) / 10,000

        XCTAssertEqual([c2.ordersInfluenced, c2.couponOrders, c2.customersReached, c2.customersConverted], [4, 1, 3, 3])
        XCTAssertEqual(c2.revenueGenerated, Money(francs: 35_000))
        XCTAssertEqual(c2.discountGiven, Money(francs: 500))
        XCTAssertEqual(c2.conversionRate.decimalString, "100.00")
        XCTAssertEqual(c2.budgetUsed?.decimalString, "10.00")
        XCTAssertEqual(c2.roi?.decimalString, "600.00")

        XCTAssertEqual([c3.ordersInfluenced, c3.couponOrders, c3.customersReached, c3.customersConverted], [2, 0, 3, 1])
        XCTAssertEqual(c3.revenueGenerated, Money(francs: 17_000))
        XCTAssertEqual(c3.conversionRate.decimalString, "33.33")
        XCTAssertNil(c3.roi, "no budget, no ROI")
        XCTAssertNil(c3.budgetUsed)

        XCTAssertEqual([c5.ordersInfluenced, c5.customersReached, c5.customersConverted], [1, 1, 1])
        XCTAssertEqual(c5.revenueGenerated, Money(francs: 3_000))
        XCTAssertEqual(c5.roi?.decimalString, "50.00")
        XCTAssertEqual(c5.budgetUsed?.decimalString, "0.00")
    }

    func testAllCampaignsTogetherCountEachSaleOnce() {
        let totals = ledger().totals
        // 12 sales; 3, 10 and 14 belong to no campaign: 9 sales worth 77,000.
        XCTAssertEqual(totals.reduce(0) { $0 + $1.ordersInfluenced }, 9)
        XCTAssertEqual(totals.reduce(Money.zero) { $0 + $1.revenueGenerated }, Money(francs: 77_000))
    }

    func testDailyHistory() throws {
        let h = ledger().history.filter { $0.campaignId == 2 }
        XCTAssertEqual(h.map(\.day.iso).first, "2026-11-05")
        XCTAssertEqual(h.count, 7)
        let sat = try XCTUnwrap(h.first { $0.day.iso == "2026-11-08" })
        // Sale 6 by coupon (user 3); user 2's refunded order is activity: reached 2, converted 1.
        XCTAssertEqual([sat.ordersInfluenced, sat.couponOrders, sat.customersReached, sat.customersConverted], [1, 1, 2, 1])
        XCTAssertEqual(sat.revenueGenerated, Money(francs: 5_000))
        XCTAssertEqual(sat.discountGiven, Money(francs: 500))
        XCTAssertEqual(sat.conversionRate.decimalString, "50.00")
        let quiet = try XCTUnwrap(h.first { $0.day.iso == "2026-11-10" })
        XCTAssertEqual([quiet.ordersInfluenced, quiet.customersReached], [0, 0], "a day without activity is a zero row")
    }

    func testIncrementalAgainstTheSameAudienceBefore() throws {
        let totals = Dictionary(uniqueKeysWithValues: ledger().totals.map { ($0.campaign.id, $0) })
        let c2 = try XCTUnwrap(totals[2])
        // VIP sales 11-05..11-11: 20,000 + 6,000 + 4,000; the 7 days before (10-29..11-04): sale 3, 10,000.
        XCTAssertEqual(c2.audienceRevenue, Money(francs: 30_000))
        XCTAssertEqual(c2.baselineFirstDay?.iso, "2026-10-29")
        XCTAssertEqual(c2.baselineRevenue, Money(francs: 10_000))
        XCTAssertEqual(c2.incrementalRevenue, Money(francs: 20_000))
        XCTAssertEqual(c2.uplift?.decimalString, "200.00")
        let c1 = try XCTUnwrap(totals[1])
        XCTAssertEqual(c1.audienceRevenue, Money(francs: 22_000))   // first sales 1 and 7
        XCTAssertEqual(c1.baselineRevenue, Money(francs: 0))
        XCTAssertNil(c1.uplift, "no baseline revenue, no percentage")
    }

    func testNoBaselineWhenTheShopHasNoDataThatFarBack() throws {
        let c2 = try XCTUnwrap(ledger(earliestSaleDay: ShopDay(year: 2026, month: 11, day: 1)).totals.first { $0.campaign.id == 2 })
        XCTAssertNil(c2.baselineRevenue)
        XCTAssertNil(c2.incrementalRevenue)
        XCTAssertEqual(c2.revenueGenerated, Money(francs: 35_000))
    }

    func testWindowIsCutAtTheJobsLastDay() throws {
        var l = CampaignLedger(campaigns: campaigns, computing: [2], asOf: ShopDay(year: 2026, month: 11, day: 7), calendar: kigali,
                               facts: facts, earliestSaleDay: nil)
        for (o, code) in orders { l.add(o, couponCode: code) }
        let c2 = try XCTUnwrap(l.totals.first)
        XCTAssertEqual(c2.lastDay.iso, "2026-11-07")
        XCTAssertEqual(c2.ordersInfluenced, 3)   // sales 2, 5, 9; sale 6 is on the 8th
        XCTAssertEqual(l.history.count, 3)
    }
}
